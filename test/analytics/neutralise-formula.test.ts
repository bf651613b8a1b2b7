import { neutraliseFormula } from '../../src/analytics/incidents-csv.route';

describe('neutraliseFormula', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+33 1 23', "'+33 1 23"],
    ['-A1', "'-A1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', "'\rcmd"],
    ['Plain', 'Plain'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%j → %j', (cell, expected) => {
    expect(neutraliseFormula(cell)).toBe(expected);
  });
});

/**
 * E.164: "+", then the country code and the subscriber number, 7 to 15 digits in all, no leading zero.
 * People's phones, SMS contact methods and the SMS channel's sender and recipients are all checked against it.
 */
const E164 = /^\+[1-9]\d{6,14}$/;

export function isE164(phone: string): boolean {
  return E164.test(phone);
}

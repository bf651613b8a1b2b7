import { Alert } from './alert.entity';
import { ConnectionType } from './connection';
import { DeadLetter } from './dead-letter.entity';
import { Incident } from './incident.entity';
import { Schedule } from './schedule.entity';

export const IncidentConnection = ConnectionType('Incident', Incident);
export const AlertConnection = ConnectionType('Alert', Alert);
export const DeadLetterConnection = ConnectionType('DeadLetter', DeadLetter);
export const ScheduleConnection = ConnectionType('Schedule', Schedule);

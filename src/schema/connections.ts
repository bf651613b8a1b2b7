import { Alert } from './alert.entity';
import { ConnectionType } from './connection';
import { DeadLetter } from './dead-letter.entity';
import { Incident } from './incident.entity';

export const IncidentConnection = ConnectionType('Incident', Incident);
export const AlertConnection = ConnectionType('Alert', Alert);
export const DeadLetterConnection = ConnectionType('DeadLetter', DeadLetter);

/** The resume argument every subscription takes. */
export interface Resumable {
  after?: string | null;
}

export const AFTER =
  'Resume: the extensions.cursor of the last event received. Everything committed since comes first (some events may come again; events carry ids), or the subscription ends with RESYNC_REQUIRED when that is no longer possible.';

// Ids are made where rows are written; the implementation lives in db/ (the ground floor).
export { newId, nowIso } from '../../../db/util/ids.ts';

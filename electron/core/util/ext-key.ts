// The ext_key column's hash lives in db/ (the ground floor); core code keeps this import path.
export { epochMs, extKey } from '../../../db/util/ext-key.ts';

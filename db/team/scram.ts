/**
 * A SCRAM-SHA-256 verifier computed on the client (RFC 5802/7677, the format libpq's
 * PQencryptPasswordConn and PostgreSQL store): `CREATE ROLE ... PASSWORD 'SCRAM-SHA-256$...'`
 * then never carries the password itself, so a server that logs DDL (log_statement=ddl) logs
 * only the verifier. The password is used as its UTF-8 bytes (no SASLprep: generated and typed
 * passwords here are printable ASCII, for which SASLprep changes nothing).
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

/** PostgreSQL's default (scram_iterations). */
export const SCRAM_ITERATIONS = 4096;

export function scramSha256Verifier(password: string, salt: Buffer = randomBytes(16), iterations = SCRAM_ITERATIONS): string {
  const salted = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

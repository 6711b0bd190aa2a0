/** The audit log's signed tree head as the UI and the CLI see it. */
export interface TreeHead {
  /** Number of events (leaves) in the log. */
  size: number;
  /** MTH of the first `size` leaves, lowercase hex (RFC 6962 Merkle tree, SHA-256). */
  root: string;
}

/**
 * Notes: the table behind the read/write-splitting demo. Inserts go to the primary and return the
 * WAL position after their commit (the read-your-writes token); reads run on whichever node the
 * router chose.
 *
 * @example
 * const { note, lsn } = await insertNote(pools.primary, 'hello');
 * const again = await findNote(pools.replicas[0], note.id); // undefined while the replica lags
 */
import type { Lsn } from '../core/wal-lsn';
import { namingField } from './engine-errors';
import type { PgNode } from './pg-pools';
import { walPositionAfterCommit } from './pg-wal-status';

export interface Note {
  readonly id: string;
  readonly text: string;
  readonly createdAt: string;
}

interface NoteRow {
  id: string;
  text: string;
  created_at: Date;
}

const toNote = (row: NoteRow): Note => ({ id: row.id, text: row.text, createdAt: row.created_at.toISOString() });

/** Inserts (autocommit), then reads the WAL position: only a position read after COMMIT covers it. */
export async function insertNote(primary: PgNode, text: string): Promise<{ note: Note; lsn: Lsn }> {
  const [row] = await primary
    .query<NoteRow>('INSERT INTO notes (text) VALUES ($1) RETURNING id, text, created_at', [text])
    .catch(namingField('text'));
  return { note: toNote(row), lsn: await walPositionAfterCommit(primary) };
}

export async function findNote(node: PgNode, id: string): Promise<Note | undefined> {
  const [row] = await node.query<NoteRow>('SELECT id, text, created_at FROM notes WHERE id = $1', [id]);
  return row === undefined ? undefined : toNote(row);
}

/**
 * The JSON lines a test's code writes: Powertools writes warnings and errors to stderr and the rest
 * (log lines and EMF metric lines) to stdout, so both are captured while `act` runs.
 *
 * @example
 * const lines = await jsonLinesWrittenBy(() => app.request('/notes/1'));
 * const logLines = lines.filter((line) => 'level' in line); // without the EMF metric lines
 */
export async function jsonLinesWrittenBy(act: () => unknown): Promise<Array<Record<string, unknown>>> {
  const written: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    written.push(chunk.toString());
    return true;
  };
  const spies = [jest.spyOn(process.stdout, 'write').mockImplementation(capture), jest.spyOn(process.stderr, 'write').mockImplementation(capture)];
  try {
    await act();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return written
    .flatMap((text) => text.split('\n'))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

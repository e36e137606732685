import { formatLsn, lsnGap, parseLsn } from '../../lambdas/core/wal-lsn';

describe('wal-lsn', () => {
  it('parses the hi/lo text form into one 64-bit number', () => {
    // Act
    const lsn = parseLsn('16/B374D848');

    // Assess
    expect(lsn).toBe(0x16b374d848n);
  });

  it('compares positions as numbers, where text comparison would be wrong', () => {
    // Prepare
    const nine = parseLsn('9/0')!;
    const ten = parseLsn('10/0')!;
    const endOfSegment = parseLsn('F/FFFFFFFF')!;

    // Assess
    expect('9/0' > '10/0').toBe(true); // the trap
    expect(nine < ten).toBe(true);
    expect(endOfSegment < ten).toBe(true);
    expect(ten - endOfSegment).toBe(1n);
  });

  it.each(['', '16B374D848', '/1', '1/', 'G/0', '123456789/0', '0/123456789', ' 0/1', '0/1;', '-1/0'])(
    'rejects %j as not an LSN',
    (text) => {
      // Act & Assess
      expect(parseLsn(text)).toBeUndefined();
    },
  );

  it('formats like PostgreSQL and round-trips', () => {
    // Prepare
    const samples = ['0/0', '0/3000060', '16/B374D848', 'FFFFFFFF/FFFFFFFF'];

    // Act
    const formatted = samples.map((text) => formatLsn(parseLsn(text)!));

    // Assess
    expect(formatted).toEqual(samples);
    expect(formatLsn(parseLsn('0a/00ff')!)).toBe('A/FF');
  });

  it('measures a gap in bytes and never returns a negative one', () => {
    // Assess
    expect(lsnGap(parseLsn('1/10')!, parseLsn('0/FFFFFFF0')!)).toBe(32n);
    expect(lsnGap(parseLsn('0/10')!, parseLsn('0/20')!)).toBe(0n);
  });
});

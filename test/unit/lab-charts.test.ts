import { escapeXml, formatValue, niceScale, renderChartSvg } from '../../lab/charts';
import type { ChartSpec } from '../../lab/experiment';

interface XmlElement {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

/**
 * A strict little XML parser, enough for SVG: one root, balanced tags, quoted attributes, only
 * the five predefined entities; throws on anything else (no dependency needed for the check).
 */
function parseXml(source: string): XmlElement {
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const decode = (text: string): string => {
    if (/&(?!(amp|lt|gt|quot|apos);)/.test(text)) throw new Error(`bad entity in ${JSON.stringify(text)}`);
    return text.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e] as string);
  };
  let match: RegExpExecArray | null;
  let position = 0;
  while (position < source.length && (match = token.exec(source)) !== null) {
    position = token.lastIndex;
    const [, closing, name, attributeText, selfClosing, text] = match;
    if (text !== undefined) {
      if (stack.length === 0 && text.trim() !== '') throw new Error(`text outside the root: ${JSON.stringify(text)}`);
      if (stack.length > 0) stack[stack.length - 1].text += decode(text);
      continue;
    }
    if (closing === '/') {
      const open = stack.pop();
      if (open?.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const [, key, value] of attributeText.matchAll(/([\w:-]+)="([^"]*)"/g)) {
      if (key in attributes) throw new Error(`duplicate attribute ${key}`);
      attributes[key] = decode(value);
    }
    const element: XmlElement = { name, attributes, children: [], text: '' };
    if (stack.length > 0) stack[stack.length - 1].children.push(element);
    else if (root === undefined) root = element;
    else throw new Error('second root element');
    if (selfClosing !== '/') stack.push(element);
  }
  if (position !== source.length) throw new Error(`unparsable at ${position}: ${JSON.stringify(source.slice(position, position + 40))}`);
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1].name}> is never closed`);
  if (root === undefined) throw new Error('no root element');
  return root;
}

function descendants(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((child) => [...(child.name === name ? [child] : []), ...descendants(child, name)]);
}

const texts = (svg: XmlElement): string[] => descendants(svg, 'text').map((t) => t.text);

const barSpec: ChartSpec = {
  id: 'sessions-lost',
  title: 'Sessions lost <per strategy> & more',
  kind: 'bar',
  unit: 'sessions',
  xLabel: 'session strategy',
  series: [
    { name: 'before the kill', points: [{ x: 'memory', y: 30 }, { x: 'redis', y: 30 }, { x: 'cookie', y: 30 }] },
    { name: 'lost', points: [{ x: 'memory', y: 10 }, { x: 'redis', y: 0 }, { x: 'cookie', y: 0 }] },
  ],
};

describe('renderChartSvg', () => {
  it('renders a bar chart as well-formed SVG with title, unit, x label, categories and a legend entry per series', () => {
    // Act
    const svg = parseXml(renderChartSvg(barSpec));
    // Assess
    expect(svg.name).toBe('svg');
    expect(svg.attributes).toMatchObject({ xmlns: 'http://www.w3.org/2000/svg', width: '640', height: '360', viewBox: '0 0 640 360' });
    expect(texts(svg)).toEqual(
      expect.arrayContaining(['Sessions lost <per strategy> & more', 'sessions', 'session strategy', 'memory', 'redis', 'cookie', 'before the kill', 'lost']),
    );
  });

  it('draws one bar per point, taller for the larger value', () => {
    // Act
    const bars = descendants(parseXml(renderChartSvg(barSpec)), 'rect').filter((r) => descendants(r, 'title').length === 1);
    // Assess
    expect(bars).toHaveLength(6);
    const height = (label: string) => Number(bars.find((b) => descendants(b, 'title')[0].text.startsWith(label))?.attributes.height);
    expect(height('before the kill @ memory')).toBeGreaterThan(height('lost @ memory'));
    expect(height('lost @ redis')).toBe(0);
  });

  it('renders a line chart over numeric x with a polyline per series and a marker per point', () => {
    // Prepare
    const spec: ChartSpec = {
      id: 'lag',
      title: 'Replica lag',
      kind: 'line',
      unit: 'ms',
      xLabel: 'ms since start',
      series: [
        { name: 'replica-1', points: [{ x: 0, y: 10 }, { x: 100, y: 250 }, { x: 200, y: 400 }] },
        { name: 'replica-2', points: [{ x: 0, y: 5 }, { x: 150, y: 300 }] },
      ],
    };
    // Act
    const svg = parseXml(renderChartSvg(spec));
    // Assess
    expect(descendants(svg, 'polyline')).toHaveLength(2);
    expect(descendants(svg, 'circle')).toHaveLength(5);
    expect(texts(svg)).toEqual(expect.arrayContaining(['replica-1', 'replica-2', 'Replica lag', 'ms', 'ms since start']));
  });

  it('stays well-formed with no points and with categorical line x values', () => {
    // Prepare
    const empty: ChartSpec = { id: 'e', title: 'Empty', kind: 'bar', unit: 'n', xLabel: 'x', series: [] };
    const categorical: ChartSpec = { id: 'c', title: 'C', kind: 'line', unit: 'ms', xLabel: 'step', series: [{ name: 's', points: [{ x: 'a', y: 1 }, { x: 'b', y: 2 }] }] };
    // Act / Assess
    expect(() => parseXml(renderChartSvg(empty))).not.toThrow();
    expect(descendants(parseXml(renderChartSvg(categorical)), 'circle')).toHaveLength(2);
  });

  it('rejects malformed XML in its own well-formedness check (the check can fail)', () => {
    // Act / Assess
    expect(() => parseXml('<svg><text>a & b</text></svg>')).toThrow('bad entity');
    expect(() => parseXml('<svg><g></svg>')).toThrow('</svg> closes <g>');
  });
});

describe('chart helpers', () => {
  it('picks axis bounds on a 1-2-5 grid that include the data', () => {
    // Act / Assess
    expect(niceScale(0, 38.7)).toEqual({ min: 0, max: 40, step: 10 });
    expect(niceScale(0, 0)).toEqual({ min: 0, max: 1, step: 0.2 });
    expect(niceScale(-3, 7)).toEqual({ min: -4, max: 8, step: 2 });
  });

  it('formats values with fewer decimals as they grow, and escapes XML', () => {
    // Act / Assess
    expect([formatValue(844.66), formatValue(18.84), formatValue(1.234), formatValue(2)]).toEqual(['845', '18.8', '1.23', '2']);
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });
});

/**
 * Renders the cost model: the table `npm run cost` prints, and the README's generated block (the
 * default's lines and each toggle's difference), which `test/unit/cost-readme.test.ts` compares with
 * the README so that the two never disagree.
 *
 * @example
 * console.log(costReport(read, defaults));
 */
import { type ContextReader, parseAppConfig } from './app-config';
import { type CostEstimate, estimateCost, KEYS_WITHOUT_IDLE_COST, TRAFFIC_EXAMPLE, toggleDeltas, trafficCost } from './cost-model';
import { PRICE_TABLE } from './price-table';

const usd = (amount: number): string => `$${amount.toFixed(2)}`;
/** A unit price: cents are not enough below a dollar (gp3 storage is $0.115 a GB-month). */
const unitUsd = (amount: number): string => (Number(amount.toFixed(2)) === Number(amount.toFixed(4)) ? usd(amount) : `$${Number(amount.toFixed(4))}`);
const signed = (amount: number): string => `${amount < 0 ? '-' : '+'}$${Math.abs(amount).toFixed(2)}`;
const quantity = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(3));
/** `2 tasks`, `1 task`, `60 GB`: units are singular in the model. */
const counted = (n: number, unit: string): string => {
  const plural = n === 1 || unit === 'GB' || unit === 'vCPU' ? unit : `${unit}${unit.endsWith('s') ? 'es' : 's'}`;
  return `${quantity(n)} ${plural}`;
};
const pad = (cells: readonly string[], widths: readonly number[]): string =>
  cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => pad(row, widths)).join('\n');
}

/** A mark on figures from memory (`confirmed: false` in the price table). */
const mark = (confirmed: boolean): string => (confirmed ? '' : ' *');

function idleTable(estimate: CostEstimate): string {
  return table([
    ['resource', 'quantity', 'unit $/month', 'free', 'monthly'],
    ...estimate.lines.map((l) => [
      `${l.resource}${mark(l.price.confirmed)}`,
      counted(l.quantity, l.unit),
      unitUsd(l.unitMonthly),
      l.free === undefined ? '' : String(l.free),
      usd(l.monthly),
    ]),
  ]);
}

function trafficTotal(read: ContextReader): number {
  return trafficCost(parseAppConfig(read).config).reduce((sum, l) => sum + l.monthly, 0);
}

function trafficSection(read: ContextReader): string {
  const lines = trafficCost(parseAppConfig(read).config);
  const total = trafficTotal(read);
  const e = TRAFFIC_EXAMPLE;
  return [
    `Per-request prices, applied to an example month of ${e.requestsPerMonth.toLocaleString('en-US')} requests ` +
      `(${e.lambdaShare * 100}% Lambda tier at ${e.lambdaMs} ms, ${e.responseKb} KB responses, ${e.writeShare * 100}% global-table writes, ` +
      `${e.logKbPerRequest} KB of logs each), before free tiers:`,
    table([
      ['resource', 'quantity', 'unit price', 'monthly'],
      ...lines.map((l) => [`${l.resource}${mark(l.price.confirmed)}`, `${quantity(l.quantity)} ${l.unit}`, `$${l.price.usd} / ${l.price.per}`, usd(l.monthly)]),
    ]),
    `Traffic example total: ${usd(total)} a month on top of the idle bill.`,
  ].join('\n');
}

/**
 * The terminal report of one configuration: the idle table, totals, the range up to fargateMaxTasks,
 * the difference from `defaults`, and the traffic example.
 */
export function costReport(read: ContextReader, defaults: ContextReader): string {
  const estimate = estimateCost(parseAppConfig(read).config);
  const baseline = estimateCost(parseAppConfig(defaults).config);
  const { inventory } = estimate;
  const difference = estimate.monthly - baseline.monthly;
  const { primaryRegion } = parseAppConfig(read).config;
  return [
    `Cost at idle, ${PRICE_TABLE.region} on-demand prices checked ${PRICE_TABLE.checked} (* = figure from memory, not confirmed):`,
    ...(primaryRegion === PRICE_TABLE.region ? [] : [`(primaryRegion=${primaryRegion}: its prices differ from these ${PRICE_TABLE.region} ones)`]),
    '',
    idleTable(estimate),
    '',
    `Monthly at idle: ${usd(estimate.monthly)}   Daily: ${usd(estimate.daily)}`,
    `With all ${inventory.fargateMaxTasks} Fargate tasks running (fargateMaxTasks): ${usd(estimate.monthlyAtMaxTasks)} a month`,
    `Difference from the default (${usd(baseline.monthly)}): ${signed(difference)} a month, ${signed((difference * 24) / PRICE_TABLE.hoursPerMonth)} a day`,
    '',
    trafficSection(read),
  ].join('\n');
}

export const README_BEGIN = '<!-- cost-model:begin (generated: npm run cost -- --readme) -->';
export const README_END = '<!-- cost-model:end -->';

/** The README's generated block: the default's lines and totals, then the difference of each toggle. */
export function readmeCostBlock(defaults: ContextReader): string {
  const estimate = estimateCost(parseAppConfig(defaults).config);
  const rows = estimate.lines.filter((l) => l.monthly > 0);
  const deltas = toggleDeltas(defaults);
  return [
    README_BEGIN,
    `With the defaults, in ${PRICE_TABLE.region} (on-demand prices checked ${PRICE_TABLE.checked}), the stacks cost ` +
      `**${usd(estimate.monthly)} a month at idle (${usd(estimate.daily)} a day)**, ${usd(estimate.monthlyAtMaxTasks)} while all ` +
      `${estimate.inventory.fargateMaxTasks} Fargate tasks run:`,
    '',
    '| line | quantity | per month |',
    '|---|---|---|',
    ...rows.map((l) => `| ${l.resource}${mark(l.price.confirmed)} | ${counted(l.quantity, l.unit)}${l.free === undefined ? '' : ` (${l.free} free)`} | ${usd(l.monthly)} |`),
    `| **total** | | **${usd(estimate.monthly)}** |`,
    '',
    'What each setting changes (monthly at idle, and the difference from the default):',
    '',
    '| `-c` | per month | difference |',
    '|---|---|---|',
    ...deltas.map((d) => `| \`${d.label}\` | ${usd(d.monthly)} | ${signed(d.delta)} |`),
    '',
    `The per-request example of \`npm run cost\` (${TRAFFIC_EXAMPLE.requestsPerMonth.toLocaleString('en-US')} requests a month) adds ${usd(trafficTotal(defaults))} before free tiers.`,
    '',
    `No idle difference: ${KEYS_WITHOUT_IDLE_COST.map((key) => `\`${key.split(' ')[0]}\`${key.includes(' ') ? ` ${key.slice(key.indexOf(' ') + 1)}` : ''}`).join(', ')}.`,
    README_END,
  ].join('\n');
}

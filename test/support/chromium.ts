/**
 * The system Chromium driven by playwright-core (never a downloaded browser). Fails with a message
 * that says what to install when the binary is missing, instead of a stack trace from playwright.
 */
import * as fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';

const ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it (bash scripts/bootstrap.sh, or apt-get install chromium) or point CHROMIUM_BIN at it`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS });
}

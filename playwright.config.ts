import { defineConfig, devices } from '@playwright/test';
import { existsSync } from 'node:fs';

/**
 * Browser tests run against the production build (dist/), served by `astro preview`.
 * A system Chromium is used when present (CHROMIUM_PATH, else /usr/bin/chromium), because
 * Playwright's own browser download is not possible on every machine; otherwise Playwright's own.
 * Set PW_BASE_URL to test a server you started yourself (e.g. `astro dev`); then none is started.
 */
const systemChromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const executablePath = existsSync(systemChromium) ? systemChromium : undefined;
const port = Number(process.env.PW_PORT ?? 4329);
const baseURL = process.env.PW_BASE_URL ?? `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  retries: 0,
  // Generous: axe sweeps and site crawls share two cores with widgets training in other tests.
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL,
    trace: 'off',
    launchOptions: {
      executablePath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: process.env.PW_BASE_URL
    ? undefined
    : {
        command: `npx astro preview --port ${port} --host 127.0.0.1`,
        url: baseURL,
        reuseExistingServer: false,
        timeout: 120_000,
        env: { ASTRO_TELEMETRY_DISABLED: '1' },
      },
});

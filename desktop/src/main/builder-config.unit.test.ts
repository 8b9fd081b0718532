import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

// desktop/dist/electron/main/ → desktop/
const desktopDir = new URL('../../../', import.meta.url);

interface BuilderConfig {
  appId?: string;
  productName?: string;
  files?: string[];
  asar?: boolean;
  linux?: { target?: string[] };
  mac?: { target?: string[] };
  win?: { target?: string[] };
  deb?: { depends?: string[] };
}

test('electron-builder config: AppImage, deb, dmg and NSIS, packing only the built app', async () => {
  const config = JSON.parse(
    await readFile(new URL('electron-builder.json', desktopDir), 'utf8'),
  ) as BuilderConfig;
  const pkg = JSON.parse(await readFile(new URL('package.json', desktopDir), 'utf8')) as { main?: string };
  assert.match(config.appId ?? '', /^[a-z0-9]+(\.[a-z0-9-]+)+$/, 'a reverse-DNS appId');
  assert.equal(config.productName, 'Borg Hive');
  assert.deepEqual(config.linux?.target, ['AppImage', 'deb']);
  assert.deepEqual(config.mac?.target, ['dmg']);
  assert.deepEqual(config.win?.target, ['nsis']);
  assert.equal(config.asar, true);
  // safeStorage needs the Secret Service library on Linux: without it tokens fall back to a weak key.
  assert.ok(config.deb?.depends?.includes('libsecret-1-0'));
  const files = config.files ?? [];
  assert.ok(files.includes('dist/renderer/**'), 'the renderer is packed');
  assert.ok(
    files.some((pattern) => pattern.startsWith('dist/electron/')),
    'main and preload are packed',
  );
  assert.ok(files.includes('!dist/electron/**/*.test.js'), 'tests are not');
  assert.ok(!files.some((pattern) => pattern.startsWith('src')), 'no sources');
  // The entry electron-builder starts is one the packed patterns include.
  assert.equal(pkg.main, 'dist/electron/main/main.js');
});

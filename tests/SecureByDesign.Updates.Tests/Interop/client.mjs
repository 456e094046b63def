// tuf-js as a client of a repository that SecureByDesign.Updates wrote: serve the folder over HTTP on
// the loopback interface, refresh from the trusted root, download every target named on the command line.
// Usage: node client.mjs <repository dir> <trusted root.json> <work dir> <target path>...
// Prints one line per target ("ok PATH" or "error PATH: message") and exits 0 only when all verified.
import { createServer } from 'node:http';
import { readFile, mkdir, copyFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { Updater } from 'tuf-js';

const [repo, trustedRoot, work, targetList] = process.argv.slice(2);
const targets = targetList ? targetList.split(",") : [];

const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://localhost').pathname));
  if (path.includes('..')) { res.writeHead(403).end(); return; }
  try {
    const body = await readFile(join(repo, path));
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

let failed = false;
try {
  const metadataDir = join(work, 'metadata');
  const targetDir = join(work, 'targets');
  await mkdir(metadataDir, { recursive: true });
  await mkdir(targetDir, { recursive: true });
  await copyFile(trustedRoot, join(metadataDir, 'root.json'));
  const updater = new Updater({
    metadataDir,
    metadataBaseUrl: `${base}/metadata`,
    targetDir,
    targetBaseUrl: `${base}/targets`,
  });
  await updater.refresh();
  for (const target of targets) {
    try {
      const info = await updater.getTargetInfo(target);
      if (!info) throw new Error('not found');
      await updater.downloadTarget(info, join(targetDir, encodeURIComponent(target)));
      console.log(`ok ${target}`);
    } catch (e) {
      failed = true;
      console.log(`error ${target}: ${e.constructor.name}: ${e.message}`);
    }
  }
} catch (e) {
  failed = true;
  console.log(`error refresh: ${e.constructor.name}: ${e.message}`);
} finally {
  server.close();
}
process.exit(failed ? 1 : 0);

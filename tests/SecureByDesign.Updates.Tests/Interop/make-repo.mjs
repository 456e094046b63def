// tuf-js as the writer: builds a small TUF repository with @tufjs/models (its canonical JSON and its
// signing), keys from Node's crypto, so that SecureByDesign.Updates can be tested as a reader of it.
// Usage: node make-repo.mjs <out dir> <ed25519|ecdsa|rsa> <consistent: true|false> <expires>
// Writes <out dir>/metadata, <out dir>/targets and <out dir>/trusted-root.json.
import crypto from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { canonicalize } from '@tufjs/canonical-json';
import { Metadata, MetadataKind, Signature } from '@tufjs/models';

const [out, kind, consistentText, expires] = process.argv.slice(2);
const consistent = consistentText === 'true';
const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');

function makeKey() {
  if (kind === 'ecdsa') {
    const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    return finish('ecdsa', 'ecdsa-sha2-nistp256', publicKey.export({ type: 'spki', format: 'pem' }),
      (data) => crypto.sign('sha256', data, { key: privateKey, dsaEncoding: 'der' }));
  }
  if (kind === 'rsa') {
    const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    return finish('rsa', 'rsassa-pss-sha256', publicKey.export({ type: 'spki', format: 'pem' }),
      (data) => crypto.sign('sha256', data, { key: privateKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }));
  }
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const raw = publicKey.export({ type: 'spki', format: 'der' }).subarray(-32).toString('hex');
  return finish('ed25519', 'ed25519', raw, (data) => crypto.sign(null, data, privateKey));
}

function finish(keytype, scheme, pub, sign) {
  const json = { keytype, scheme, keyval: { public: pub } };
  const keyid = sha256(canonicalize(json));
  return { keyid, json, signer: (data) => new Signature({ keyID: keyid, sig: sign(data).toString('hex') }) };
}

async function write(relative, data) {
  const file = join(out, relative);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, data);
  return data;
}

async function publish(kindName, signed, key, relative) {
  const md = Metadata.fromJSON(kindName, { signed, signatures: [] });
  md.sign(key.signer);
  return write(relative, JSON.stringify(md.toJSON(), null, 2));
}

const common = (type, version) => ({ _type: type, spec_version: '1.0.31', version, expires });
const name = (role, version) => `metadata/${consistent ? `${version}.` : ''}${role}.json`;
const root = makeKey();
const online = makeKey();
const delegate = makeKey();

async function addTarget(list, path, content) {
  const data = Buffer.from(content);
  const hash = sha256(data);
  list[path] = { length: data.length, hashes: { sha256: hash } };
  const slash = path.lastIndexOf('/');
  await write(`targets/${consistent ? `${path.slice(0, slash + 1)}${hash}.${path.slice(slash + 1)}` : path}`, data);
}

const rootSigned = {
  ...common('root', 1),
  consistent_snapshot: consistent,
  keys: { [root.keyid]: root.json, [online.keyid]: online.json },
  roles: {
    root: { keyids: [root.keyid], threshold: 1 },
    timestamp: { keyids: [online.keyid], threshold: 1 },
    snapshot: { keyids: [online.keyid], threshold: 1 },
    targets: { keyids: [online.keyid], threshold: 1 },
  },
};
const rootBytes = await publish(MetadataKind.Root, rootSigned, root, 'metadata/1.root.json');
await write('metadata/root.json', rootBytes);
await write('trusted-root.json', rootBytes);

const delegatedTargets = {};
await addTarget(delegatedTargets, 'deleg/rules.json', '{"fields":20}');
await publish(MetadataKind.Targets, { ...common('targets', 1), targets: delegatedTargets }, delegate, name('deleg', 1));

const topTargets = {};
await addTarget(topTargets, 'data/hello.txt', 'hello from tuf-js');
await publish(MetadataKind.Targets, {
  ...common('targets', 1),
  targets: topTargets,
  delegations: {
    keys: { [delegate.keyid]: delegate.json },
    roles: [{ name: 'deleg', keyids: [delegate.keyid], threshold: 1, terminating: true, paths: ['deleg/*'] }],
  },
}, online, name('targets', 1));

const snapshot = await publish(MetadataKind.Snapshot, {
  ...common('snapshot', 1),
  meta: { 'targets.json': { version: 1 }, 'deleg.json': { version: 1 } },
}, online, name('snapshot', 1));

await publish(MetadataKind.Timestamp, {
  ...common('timestamp', 1),
  meta: { 'snapshot.json': { version: 1, length: Buffer.byteLength(snapshot), hashes: { sha256: sha256(snapshot) } } },
}, online, 'metadata/timestamp.json');
console.log('written');

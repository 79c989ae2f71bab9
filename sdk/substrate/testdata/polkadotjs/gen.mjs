// Generates ../vectors.json: signed extrinsics for subtensor spec 343, made by polkadot.js from the
// recorded metadata, so Go's extrinsic layer can be checked byte for byte. ed25519 signatures are
// deterministic, so every byte of each vector is fixed. Run: npm ci && npm run gen
import { readFileSync, writeFileSync } from 'node:fs';
import { TypeRegistry, Metadata } from '@polkadot/types';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, blake2AsHex } from '@polkadot/util-crypto';
import { u8aToHex, hexToU8a, compactStripLength } from '@polkadot/util';

await cryptoWaitReady();

const opaque = readFileSync(new URL('../finney/metadata-v15-spec343.opaque', import.meta.url));
// Option<OpaqueMetadata>: 0x01, compact length, then "meta" + v15.
const [, inner] = compactStripLength(new Uint8Array(opaque.subarray(1)));
const registry = new TypeRegistry();
const metadata = new Metadata(registry, inner);
registry.setMetadata(metadata);

const genesis = '0x2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03';
const head = '0xdb13c066e2c63969f140164fb3bfe7a0aaa7b71407fc0fe525d68e57329ef9d0';
const seed = '0x' + '01'.repeat(32);
const pair = new Keyring({ type: 'ed25519' }).addFromSeed(hexToU8a(seed));

function vector(name, section, method, args, { nonce = 7, tip = 0, era = { current: 6852690, period: 128 }, blockHash = head } = {}) {
  const call = registry.createType('Call', { callIndex: findIndex(section, method), args });
  const tx = registry.createType('Extrinsic', call, { version: 4 });
  const eraT = era ? registry.createType('ExtrinsicEra', era) : registry.createType('ExtrinsicEra', '0x00');
  const opts = {
    blockHash: era ? blockHash : genesis,
    era: eraT,
    genesisHash: genesis,
    nonce,
    tip,
    runtimeVersion: { specVersion: 343, transactionVersion: 1 },
    signedExtensions: registry.signedExtensions,
    mode: 0,
  };
  const payload = registry.createType('ExtrinsicPayload', {
    method: call.toHex(), era: eraT, nonce, tip, specVersion: 343, transactionVersion: 1,
    genesisHash: genesis, blockHash: opts.blockHash, mode: 0, version: 4,
  }, { version: 4 });
  tx.sign(pair, opts);
  return {
    name, section, method, nonce, tip,
    era: u8aToHex(eraT.toU8a()),
    era_block_hash: opts.blockHash,
    call: call.toHex(),
    signing_payload: u8aToHex(payload.toU8a({ method: true })),
    extrinsic: tx.toHex(),
    hash: blake2AsHex(tx.toU8a()),
  };
}

function findIndex(section, method) {
  const pallet = metadata.asLatest.pallets.find((p) => p.name.toString() === section);
  const calls = registry.lookup.getSiType(pallet.calls.unwrap().type).def.asVariant.variants;
  const v = calls.find((c) => c.name.toString() === method);
  return new Uint8Array([pallet.index.toNumber(), v.index.toNumber()]);
}

const hot = '0x' + 'aa'.repeat(32);
const dest = '0x' + 'bb'.repeat(32);
const many = Array.from({ length: 300 }, (_, i) => i);
const vectors = [
  vector('serve_axon', 'SubtensorModule', 'serve_axon', [1, 9011001, 3235789677n, 6028, 4, 4, 0, 0]),
  vector('set_weights', 'SubtensorModule', 'set_weights', [1, [0, 1, 2], [65535, 32768, 1], 1020], { nonce: 5 }),
  vector('set_weights_immortal', 'SubtensorModule', 'set_weights', [1, [0, 1, 2], [65535, 32768, 1], 1020], { nonce: 5, era: null }),
  vector('set_weights_long', 'SubtensorModule', 'set_weights', [1, many, many.map((x) => 65535 - x), 7], { nonce: 300, tip: 1000 }),
  vector('set_weights_period64', 'SubtensorModule', 'set_weights', [3, [9], [1], 0], { nonce: 64, era: { current: 6852690, period: 64 } }),
  vector('commit_weights', 'SubtensorModule', 'commit_weights', [1, '0x' + '11'.repeat(32)], { nonce: 8 }),
  vector('reveal_weights', 'SubtensorModule', 'reveal_weights', [1, [0, 5], [100, 200], [1, 2, 3], 1020], { nonce: 9 }),
  vector('burned_register', 'SubtensorModule', 'burned_register', [1, hot], { nonce: 0 }),
  vector('add_stake', 'SubtensorModule', 'add_stake', [hot, 1, 1000000000], { nonce: 1 }),
  vector('remove_stake', 'SubtensorModule', 'remove_stake', [hot, 1, 500000000], { nonce: 2 }),
  vector('transfer_keep_alive', 'Balances', 'transfer_keep_alive', [{ Id: dest }, 1234567890123], { nonce: 3, tip: 10 }),
  vector('transfer_allow_death', 'Balances', 'transfer_allow_death', [{ Id: dest }, 1], { nonce: 70000 }),
];

const out = {
  generator: 'sdk/substrate/testdata/polkadotjs/gen.mjs with @polkadot/types 16.5.6 and @polkadot/keyring 14.0.3',
  metadata: 'finney/metadata-v15-spec343.opaque',
  spec_version: 343,
  transaction_version: 1,
  genesis,
  seed,
  pub: u8aToHex(pair.publicKey),
  extensions: registry.signedExtensions,
  vectors,
};
writeFileSync(new URL('../vectors.json', import.meta.url), JSON.stringify(out, null, 1) + '\n');
console.log(`wrote ${vectors.length} vectors`);

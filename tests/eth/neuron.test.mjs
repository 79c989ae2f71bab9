// The neuron precompile seed (seeds/02-neuron-precompile.md) against a live gotensor dev node.
//
// It starts `$GOTENSOR_BIN node --dev --fast --home <tmp> --rpc.addr … --eth.addr … --metrics.addr ""` on
// free loopback ports, then runs the seed's ethers.js functions in the order of issue 10, each with its
// expected outcome, and checks every effect through gotensor's own JSON-RPC (docs/rpc.md):
//
//   1. fund the caller's mapped account (a native transfer from //Alice to blake2("evm:" ‖ h160));
//   2. burnedRegister(own mapped key) on a subnet with commit-reveal off → success;
//   3. serveAxon with the seed's 127.0.0.1 → revert InvalidIpAddress (at estimateGas, and on chain with a
//      fixed gas limit: status 0); with 127.0.0.2 → success;
//   4. serveAxonTls and servePrometheus → success;
//   5. stake the mapped hotkey (native add_stake by //Alice) and wait one epoch for a validator permit;
//   6. setWeights (the seed's dests [1,2,3], weights [100,200,150]) → success;
//   7. on a commit-reveal subnet: commitWeights with the seed's own hash helper → success, revealWeights at
//      once → revert RevealTooEarly, then in the reveal window → success.
//
// Run: GOTENSOR_BIN=/path/to/gotensor npm test   (scripts/test does this after the Go tests).

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";

import { ethers } from "ethers";
import { blake2AsU8a, cryptoWaitReady, keyExtractSuri, keyFromPath, mnemonicToMiniSecret, sr25519PairFromSeed, sr25519Sign } from "@polkadot/util-crypto";
import { Vec, Tuple, VecFixed, u16, u8, u64 } from "@polkadot/types-codec";
import { TypeRegistry } from "@polkadot/types";
import { hexToU8a, u8aToHex, u8aConcat } from "@polkadot/util";

// ---- the seed's setup -----------------------------------------------------------------------------

const INEURON_ADDRESS = "0x0000000000000000000000000000000000000804";
const INeuronABI = [
  { inputs: [{ internalType: "uint16", name: "netuid", type: "uint16" }, { internalType: "bytes32", name: "commitHash", type: "bytes32" }], name: "commitWeights", outputs: [], stateMutability: "payable", type: "function" },
  { inputs: [{ internalType: "uint16", name: "netuid", type: "uint16" }, { internalType: "uint16[]", name: "uids", type: "uint16[]" }, { internalType: "uint16[]", name: "values", type: "uint16[]" }, { internalType: "uint16[]", name: "salt", type: "uint16[]" }, { internalType: "uint64", name: "versionKey", type: "uint64" }], name: "revealWeights", outputs: [], stateMutability: "payable", type: "function" },
  { inputs: [{ internalType: "uint16", name: "netuid", type: "uint16" }, { internalType: "uint16[]", name: "dests", type: "uint16[]" }, { internalType: "uint16[]", name: "weights", type: "uint16[]" }, { internalType: "uint64", name: "versionKey", type: "uint64" }], name: "setWeights", outputs: [], stateMutability: "payable", type: "function" },
  { inputs: [{ internalType: "uint16", name: "netuid", type: "uint16" }, { internalType: "uint32", name: "version", type: "uint32" }, { internalType: "uint128", name: "ip", type: "uint128" }, { internalType: "uint16", name: "port", type: "uint16" }, { internalType: "uint8", name: "ipType", type: "uint8" }, { internalType: "uint8", name: "protocol", type: "uint8" }, { internalType: "uint8", name: "placeholder1", type: "uint8" }, { internalType: "uint8", name: "placeholder2", type: "uint8" }], name: "serveAxon", outputs: [], stateMutability: "payable", type: "function" },
  { inputs: [{ internalType: "uint16", name: "netuid", type: "uint16" }, { internalType: "uint32", name: "version", type: "uint32" }, { internalType: "uint128", name: "ip", type: "uint128" }, { internalType: "uint16", name: "port", type: "uint16" }, { internalType: "uint8", name: "ipType", type: "uint8" }, { internalType: "uint8", name: "protocol", type: "uint8" }, { internalType: "uint8", name: "placeholder1", type: "uint8" }, { internalType: "uint8", name: "placeholder2", type: "uint8" }, { internalType: "bytes", name: "certificate", type: "bytes" }], name: "serveAxonTls", outputs: [], stateMutability: "payable", type: "function" },
  { inputs: [{ internalType: "uint16", name: "netuid", type: "uint16" }, { internalType: "uint32", name: "version", type: "uint32" }, { internalType: "uint128", name: "ip", type: "uint128" }, { internalType: "uint16", name: "port", type: "uint16" }, { internalType: "uint8", name: "ipType", type: "uint8" }], name: "servePrometheus", outputs: [], stateMutability: "payable", type: "function" },
  { inputs: [{ internalType: "uint16", name: "netuid", type: "uint16" }, { internalType: "bytes32", name: "hotkey", type: "bytes32" }], name: "burnedRegister", outputs: [], stateMutability: "payable", type: "function" },
];

// The seed's helpers, verbatim in logic.
function convertH160ToPublicKey(ethAddress) {
  const prefix = "evm:";
  const prefixBytes = new TextEncoder().encode(prefix);
  const addressBytes = hexToU8a(ethAddress.startsWith("0x") ? ethAddress : `0x${ethAddress}`);
  const combined = new Uint8Array(prefixBytes.length + addressBytes.length);
  combined.set(prefixBytes);
  combined.set(addressBytes, prefixBytes.length);
  return blake2AsU8a(combined);
}

function generateCommitHash(netuid, address, uids, values, salt, version_key) {
  const registry = new TypeRegistry();
  const publicKey = convertH160ToPublicKey(address);
  const tupleData = new Tuple(registry, [VecFixed.with(u8, 32), u16, Vec.with(u16), Vec.with(u16), Vec.with(u16), u64],
    [publicKey, netuid, uids, values, salt, version_key]);
  return blake2AsU8a(tupleData.toU8a());
}

// ---- test harness ----------------------------------------------------------------------------------

const TAO = 1_000_000_000n;
const DEV_PHRASE = "bottom drive obey lake curtain smoke basket hold race lonely fit walk";
// The first hardhat/anvil key (0xf39F…2266), whose mapping is in the golden vectors.
const CALLER_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const ETH_FLAG = process.env.GOTENSOR_ETH_FLAG || "--eth.addr";

let step = 0;
function log(msg) { console.log(`[${(++step).toString().padStart(2)}] ${msg}`); }

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function startNode() {
  const bin = process.env.GOTENSOR_BIN;
  if (!bin) throw new Error("GOTENSOR_BIN is not set: build gotensor (go build -o bin/gotensor ./cmd/gotensor) and export GOTENSOR_BIN");
  const home = mkdtempSync(join(tmpdir(), "gotensor-eth-"));
  const rpcPort = await freePort();
  const ethPort = await freePort();
  const args = ["node", "--dev", "--fast", "--home", home, "--rpc.addr", `127.0.0.1:${rpcPort}`, ETH_FLAG, `127.0.0.1:${ethPort}`, "--metrics.addr", ""];
  const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => { output += d; });
  child.stderr.on("data", (d) => { output += d; });
  let exited = null;
  child.on("exit", (code) => { exited = code; });
  const node = { child, home, rpc: `http://127.0.0.1:${rpcPort}`, eth: `http://127.0.0.1:${ethPort}`, output: () => output };
  for (let i = 0; i < 150; i++) {
    if (exited !== null) throw new Error(`gotensor node exited with ${exited}:\n${output}\n(command: ${bin} ${args.join(" ")})`);
    try {
      const r = await fetch(node.eth, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }) });
      if (r.ok) return node;
    } catch { /* not up yet */ }
    await sleep(200);
  }
  child.kill("SIGKILL");
  throw new Error(`the node's Ethereum endpoint did not come up on ${node.eth}:\n${output}`);
}

// gotensor's own JSON-RPC (params by name).
let rpcURL;
async function rpc(method, params = {}) {
  const r = await fetch(rpcURL, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = await r.json();
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}
const query = async (path) => (await rpc("state_query", { path })).result;

// ---- native transactions (docs/chain.md §2), signed with sr25519 dev keys --------------------------

function devPair(uri) {
  const { path } = keyExtractSuri(`${DEV_PHRASE}${uri}`);
  return keyFromPath(sr25519PairFromSeed(mnemonicToMiniSecret(DEV_PHRASE)), path, "sr25519");
}
const le = (n, bytes) => { const b = new Uint8Array(bytes); let v = BigInt(n); for (let i = 0; i < bytes; i++) { b[i] = Number(v & 0xffn); v >>= 8n; } return b; };
const varint = (n) => { const out = []; let v = BigInt(n); while (v >= 0x80n) { out.push(Number(v & 0x7fn) | 0x80); v >>= 7n; } out.push(Number(v)); return Uint8Array.from(out); };
const str = (s) => { const b = new TextEncoder().encode(s); return u8aConcat(varint(b.length), b); };
const call = {
  transfer: (dest, amount) => u8aConcat([200], dest, le(amount, 8)),
  registerNetwork: (hotkey) => u8aConcat([59], hotkey),
  startCall: (netuid) => u8aConcat([92], le(netuid, 2)),
  burnedRegister: (netuid, hotkey) => u8aConcat([7], le(netuid, 2), hotkey),
  addStake: (hotkey, netuid, amount) => u8aConcat([2], hotkey, le(netuid, 2), le(amount, 8)),
  sudoSetHyper: (netuid, name, value) => u8aConcat([220], [210], le(netuid, 2), str(name), le(value, 8)),
};

let genesisHash;
async function native(pair, c) {
  const nonce = await rpc("account_nextNonce", { account: u8aToHex(pair.publicKey) });
  const payload = u8aConcat([1], genesisHash, pair.publicKey, le(nonce, 8), c);
  const sig = sr25519Sign(blake2AsU8a(payload, 256), pair);
  const res = await rpc("tx_submit", { tx: u8aToHex(u8aConcat(payload, sig)), wait: true, timeout_ms: 30000 });
  const r = res.included.result;
  if (r.code !== 0) throw new Error(`native ${r.call} failed: ${r.error} (${r.log})`);
  return r;
}

// ---- expectations ------------------------------------------------------------------------------------

function errorText(e) {
  return [e?.reason, e?.shortMessage, e?.message, e?.info?.error?.message].filter(Boolean).join(" | ");
}

async function expectRevert(fn, name) {
  try {
    await fn();
  } catch (e) {
    const text = errorText(e);
    assert.ok(text.includes(name), `expected a revert with ${name}, got: ${text}`);
    assert.equal(e.code, "CALL_EXCEPTION", `error code ${e.code}: ${text}`);
    return e;
  }
  assert.fail(`expected a revert with ${name}, but the call succeeded`);
}

async function waitFor(what, fn, timeoutMs = 60000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

const ipv4 = (a, b, c, d) => (a << 24 >>> 0) + (b << 16) + (c << 8) + d;

// ---- the suite ---------------------------------------------------------------------------------------

async function main() {
  await cryptoWaitReady();
  const node = await startNode();
  rpcURL = node.rpc;
  let ok = false;
  try {
    const info = await rpc("system_info");
    genesisHash = hexToU8a(info.genesis_hash);
    const provider = new ethers.JsonRpcProvider(node.eth, undefined, { pollingInterval: 250, cacheTimeout: -1 } /* 250 ms blocks: no request cache, or a nonce read just before a block is reused */);
    const wallet = new ethers.Wallet(CALLER_KEY, provider);
    const neuronContract = new ethers.Contract(INEURON_ADDRESS, INeuronABI, wallet);
    const network = await provider.getNetwork();
    log(`connected: eth chain id ${network.chainId}, gotensor chain ${info.chain_id}, caller ${wallet.address}`);

    const mapped = convertH160ToPublicKey(wallet.address);
    const mappedHex = u8aToHex(mapped);
    const alice = devPair("//Alice");
    const bob = devPair("//Bob");

    // Subnets: A (commit-reveal off) owned by //Alice, B (commit-reveal on) owned by //Bob.
    const added = async (r) => Number(r.events.find((e) => e.name === "NetworkAdded").attrs.find((a) => a.key === "netuid").value);
    const netA = await added(await native(alice, call.registerNetwork(alice.publicKey)));
    await native(alice, call.startCall(netA));
    const netB = await added(await native(bob, call.registerNetwork(bob.publicKey)));
    await native(bob, call.startCall(netB));
    await native(alice, call.sudoSetHyper(netA, "commit_reveal_weights_enabled", 0));
    for (const n of [netA, netB]) {
      await native(alice, call.sudoSetHyper(n, "weights_rate_limit", 0));
      await native(alice, call.sudoSetHyper(n, "serving_rate_limit", 0));
    }
    log(`subnets ${netA} (commit-reveal off) and ${netB} (commit-reveal on) created`);

    // 1. Fund the caller's mapped account.
    await native(alice, call.transfer(mapped, 1000n * TAO));
    assert.equal(await provider.getBalance(wallet.address), 1000n * TAO * 10n ** 9n);
    assert.equal(BigInt((await query(`account/${mappedHex}`)).free), 1000n * TAO);
    log(`funded ${wallet.address} → ${mappedHex}: 1000 TAO (eth_getBalance ${ethers.formatEther(await provider.getBalance(wallet.address))})`);

    // 2. burnedRegister of the caller's own mapped key.
    {
      const tx = await neuronContract.burnedRegister(netA, mapped);
      const receipt = await tx.wait();
      assert.equal(receipt.status, 1);
      const n = await query(`neuron_by_hotkey/${netA}/${mappedHex}`);
      assert.ok(n, "not registered");
      assert.equal(n.coldkey, mappedHex);
      assert.equal(n.uid, 1);
      log(`burnedRegister(${netA}, mapped) → uid ${n.uid} (tx ${tx.hash})`);
    }

    // 3. serveAxon: the seed's 127.0.0.1 is refused, 127.0.0.2 is served.
    const axonArgs = (ip) => [netA, 1, ip, 8080, 4, 0, 0, 0];
    await expectRevert(() => neuronContract.serveAxon(...axonArgs(ipv4(127, 0, 0, 1))), "InvalidIpAddress");
    {
      // The same call forced on chain (no gas estimate): included with status 0 and the reason.
      const tx = await neuronContract.serveAxon(...axonArgs(ipv4(127, 0, 0, 1)), { gasLimit: 200000 });
      await expectRevert(() => tx.wait(), "");
      const rc = await provider.send("eth_getTransactionReceipt", [tx.hash]);
      assert.equal(rc.status, "0x0");
      const reason = ethers.AbiCoder.defaultAbiCoder().decode(["string"], ethers.dataSlice(rc.revertReason, 4))[0];
      assert.equal(reason, "dispatch execution failed: InvalidIpAddress");
      const incl = await rpc("chain_tx", { hash: tx.hash });
      assert.equal(incl.result.error, "InvalidIpAddress");
      log(`serveAxon(127.0.0.1) → revert InvalidIpAddress (estimateGas, and on chain: status 0, "${reason}")`);
    }
    {
      const tx = await neuronContract.serveAxon(...axonArgs(ipv4(127, 0, 0, 2)));
      assert.equal((await tx.wait()).status, 1);
      const n = await query(`neuron_by_hotkey/${netA}/${mappedHex}`);
      assert.equal(n.axon_info.ip.Lo, ipv4(127, 0, 0, 2));
      assert.equal(n.axon_info.port, 8080);
      log("serveAxon(127.0.0.2) → success, axon stored");
    }

    // 4. serveAxonTls and servePrometheus (the seed's arguments, with an address the chain accepts).
    {
      const certificate = new Uint8Array(65).map((_, i) => i + 1);
      let tx = await neuronContract.serveAxonTls(netA, 1, ipv4(127, 0, 0, 2), 8443, 4, 0, 0, 0, certificate);
      assert.equal((await tx.wait()).status, 1);
      tx = await neuronContract.servePrometheus(netA, 1, ipv4(127, 0, 0, 2), 9090, 4);
      assert.equal((await tx.wait()).status, 1);
      const n = await query(`neuron_by_hotkey/${netA}/${mappedHex}`);
      assert.equal(n.axon_info.port, 8443);
      assert.equal(n.prometheus_info.port, 9090);
      assert.ok(n.certificate, "certificate not stored");
      log("serveAxonTls and servePrometheus → success");
    }

    // 5. Stake the mapped hotkey and wait one epoch for a validator permit. Two more neurons so that the
    //    seed's dests [1, 2, 3] exist.
    await native(alice, call.burnedRegister(netA, devPair("//Dave").publicKey));
    await native(alice, call.burnedRegister(netA, devPair("//Eve").publicKey));
    await native(alice, call.addStake(mapped, netA, 100n * TAO));
    await waitFor("a validator permit", async () => (await query(`neuron_by_hotkey/${netA}/${mappedHex}`)).validator_permit);
    log("staked 100 TAO on the mapped hotkey; validator permit after the epoch");

    // 6. setWeights, the seed's setNeuronWeights.
    {
      const dests = [1, 2, 3];
      const weights = [100, 200, 150];
      const gasEstimate = await neuronContract.setWeights.estimateGas(netA, dests, weights, 0);
      const tx = await neuronContract.setWeights(netA, dests, weights, 0, { gasLimit: gasEstimate * 120n / 100n });
      assert.equal((await tx.wait(1)).status, 1);
      const n = await query(`neuron/${netA}/1`);
      assert.deepEqual(n.weights.map((w) => w.uid), dests);
      assert.equal(Math.max(...n.weights.map((w) => w.value)), 65535);
      log(`setWeights(${netA}, [1,2,3], [100,200,150]) → stored ${JSON.stringify(n.weights)}`);
    }

    // 7. Commit-reveal on subnet B with the seed's hash helper.
    {
      let tx = await neuronContract.burnedRegister(netB, mapped);
      assert.equal((await tx.wait()).status, 1);
      const uid = (await query(`neuron_by_hotkey/${netB}/${mappedHex}`)).uid;
      const uids = [uid], values = [5], salt = [9], version_key = 0;
      const commitHash = generateCommitHash(netB, wallet.address, uids, values, salt, version_key);
      tx = await neuronContract.commitWeights(netB, commitHash);
      assert.equal((await tx.wait()).status, 1);
      const commits = await query(`commits/${netB}/${mappedHex}`);
      assert.equal(commits.length, 1);
      assert.equal(commits[0].hash, u8aToHex(commitHash));
      log(`commitWeights(${netB}, ${u8aToHex(commitHash).slice(0, 18)}…) → success`);

      await expectRevert(() => neuronContract.revealWeights(netB, uids, values, salt, version_key), "RevealTooEarly");
      log("revealWeights at once → revert RevealTooEarly");

      await waitFor("the reveal window", async () => {
        try {
          await neuronContract.revealWeights.staticCall(netB, uids, values, salt, version_key);
          return true;
        } catch (e) {
          if (!errorText(e).includes("RevealTooEarly")) throw e;
          return false;
        }
      }, 120000);
      tx = await neuronContract.revealWeights(netB, uids, values, salt, version_key);
      assert.equal((await tx.wait()).status, 1);
      const n = await query(`neuron/${netB}/${uid}`);
      assert.deepEqual(n.weights, [{ uid, value: 65535 }]);
      assert.equal((await query(`commits/${netB}/${mappedHex}`) ?? []).length, 0);
      log("revealWeights in the reveal window → success, weights stored");
    }

    // The Ethereum nonce is the mapped account's nonce.
    const nonce = await provider.getTransactionCount(wallet.address);
    assert.equal(BigInt(nonce), BigInt((await query(`account/${mappedHex}`)).nonce));
    log(`nonce ${nonce} = the mapped account's nonce; all passed`);
    ok = true;
  } finally {
    node.child.kill("SIGTERM");
    await new Promise((r) => { node.child.once("exit", r); setTimeout(r, 5000); });
    if (!ok) console.error(`--- node output ---\n${node.output()}`);
    rmSync(node.home, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });

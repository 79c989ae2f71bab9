package runtime

import (
	"encoding/binary"

	"github.com/gotensor/gotensor/chain/codec"
	"github.com/gotensor/gotensor/chain/kv"
)

// Storage layout. Every key is an item name (subtensor's storage name where one exists) followed by '/'
// and the item's key fields in big-endian binary, so a prefix scan visits netuids and uids in numeric
// order. Values use chain/codec. Absent means the item's default (0, false, empty), unless noted.
//
// Consensus-critical state lives here and only here; the runtime holds no other durable state.
const (
	kBlockNumber     = "BlockNumber"
	kBlockHash       = "BlockHash" // /u64 block → [32]byte, the last blockHashCount blocks
	kGenesisHash     = "GenesisHash"
	kChainID         = "ChainID"
	kSudo            = "Sudo"
	kAccount         = "Account"       // /acct → {nonce u64, free u64}
	kTotalIssuance   = "TotalIssuance" // u64
	kTotalStake      = "TotalStake"    // u64
	kGlobal          = "Global"        // /name → u64 (chain-wide knobs, see params.go)
	kSubnetDefault   = "SubnetDefault" // /hp u8 → u64: the new-subnet value of each hyper-parameter
	kNetworksAdded   = "NetworksAdded" // /netuid → bool
	kTotalNetworks   = "TotalNetworks"
	kHyper           = "Hyper"        // /netuid/hp u8 → u64
	kHyperLastSet    = "HyperLastSet" // /netuid/hp u8 → block of the owner's last change
	kSubnetOwner     = "SubnetOwner"  // /netuid → acct
	kSubnetOwnerHot  = "SubnetOwnerHotkey"
	kSubnetworkN     = "SubnetworkN" // /netuid → u16
	kRegisteredAt    = "NetworkRegisteredAt"
	kSubnetTAO       = "SubnetTAO"
	kSubnetAlphaIn   = "SubnetAlphaIn"
	kSubnetAlphaOut  = "SubnetAlphaOut"
	kSubnetVolume    = "SubnetVolume"
	kSubnetLocked    = "SubnetLocked"
	kSubnetMechanism = "SubnetMechanism"
	kFirstEmission   = "FirstEmissionBlockNumber"
	kRAORecycled     = "RAORecycledForRegistration"
	kRegsThisBlock   = "RegistrationsThisBlock"
	kRegsThisIntvl   = "RegistrationsThisInterval"
	kPowRegsIntvl    = "POWRegistrationsThisInterval"
	kBurnRegsIntvl   = "BurnRegistrationsThisInterval"
	kLastAdjustment  = "LastAdjustmentBlock"
	kBlocksSinceStep = "BlocksSinceLastStep"
	kLastStepBlock   = "LastMechansimStepBlock" // sic, as subtensor spells it
	kUsedWork        = "UsedWork"               // /[32]byte → block
	kOwner           = "Owner"                  // /hotkey → coldkey
	kOwnedHotkeys    = "OwnedHotkeys"           // /coldkey/hotkey → block added
	kStakingHotkeys  = "StakingHotkeys"         // /coldkey/hotkey → block added
	kDelegates       = "Delegates"              // /hotkey → take u16
	kTotalHotkeyAlph = "TotalHotkeyAlpha"       // /hotkey/netuid → u64 (written by the stake module)
	kKeys            = "Keys"                   // /netuid/uid → hotkey
	kUids            = "Uids"                   // /netuid/hotkey → uid
	kIsNetworkMember = "IsNetworkMember"        // /hotkey/netuid → bool
	kBlockAtReg      = "BlockAtRegistration"    // /netuid → vector of u64
	kActive          = "Active"                 // /netuid → vector of bool (see per-uid vectors)
	kEmission        = "Emission"               // /netuid → vector of u64
	kConsensus       = "Consensus"              // /netuid → vector of u16
	kIncentive       = "Incentive"              // /netuid_index → vector of u16
	kDividends       = "Dividends"              // /netuid → vector of u16
	kValidatorTrust  = "ValidatorTrust"         // /netuid → vector of u16
	kValidatorPermit = "ValidatorPermit"        // /netuid → vector of bool
	kStakeWeight     = "StakeWeight"            // /netuid → vector of u16
	kLastUpdate      = "LastUpdate"             // /netuid_index → vector of u64 (subtensor's Vec)
	kWeights         = "Weights"                // /netuid_index/uid → [(u16,u16)]
	kBonds           = "Bonds"                  // /netuid_index/uid → [(u16,u16)]
	kWeightCommits   = "WeightCommits"          // /netuid_index/hotkey → queue
	kAxons           = "Axons"                  // /netuid/hotkey → AxonInfo
	kCertificates    = "NeuronCertificates"     // /netuid/hotkey → certificate
	kPrometheus      = "Prometheus"             // /netuid/hotkey → PrometheusInfo

	// Stake (stake.go) and emission (emission.go, epoch.go).
	kAlpha             = "Alpha"                       // /hotkey/netuid/coldkey → U64F64 shares of the hotkey's pool
	kTotalHotkeyShares = "TotalHotkeyShares"           // /hotkey/netuid → U64F64 share denominator
	kStakingLimiter    = "StakingOperationRateLimiter" // /hotkey/coldkey/netuid → block (cleared in EndBlock)
	kLastTakeChange    = "LastTxBlockDelegateTake"     // /hotkey → block of the last take change
	kSubnetTaoFlow     = "SubnetTaoFlow"               // /netuid → i64 net TAO flow of the block in progress
	kSubnetEmaTaoFlow  = "SubnetEmaTaoFlow"            // /netuid → (u64 block, I64F64 ema)
	kSubnetMovingPrice = "SubnetMovingPrice"           // /netuid → I96F32 raw (EMA of the alpha price)
	kPendingServer     = "PendingServerEmission"       // /netuid → u64 alpha
	kPendingValidator  = "PendingValidatorEmission"    // /netuid → u64 alpha
	kPendingRoot       = "PendingRootAlphaDivs"        // /netuid → u64 alpha
	kPendingOwnerCut   = "PendingOwnerCut"             // /netuid → u64 alpha
	kAlphaBurned       = "SubnetAlphaBurned"           // /netuid → u64: alpha left unowned in SubnetAlphaOut (gotensor)
	kAlphaDividends    = "AlphaDividendsPerSubnet"     // /netuid → vector of u64 by uid: alpha dividends paid (last epoch)
	kRootDividends     = "TaoDividendsPerSubnet"       // /netuid → vector of u64 by uid: root dividends paid (last epoch)
	kBlockEmission     = "BlockEmission"               // u64, the last computed block emission
	kTaoInEmission     = "SubnetTaoInEmission"         // /netuid → u64, this block's tao_in
	kAlphaInEmission   = "SubnetAlphaInEmission"       // /netuid → u64, this block's alpha_in
	kAlphaOutEmission  = "SubnetAlphaOutEmission"      // /netuid → u64, this block's alpha_out (A_i)
)

// blockHashCount is how many past block hashes the runtime keeps (frame_system's BlockHashCount).
const blockHashCount = 256

// key builders -------------------------------------------------------------------------------------

type keyb []byte

func key(name string) keyb {
	b := make(keyb, 0, len(name)+40)
	b = append(b, name...)
	return append(b, '/')
}
func (k keyb) u16(v uint16) keyb { return binary.BigEndian.AppendUint16(k, v) }
func (k keyb) u64(v uint64) keyb { return binary.BigEndian.AppendUint64(k, v) }
func (k keyb) u8(v uint8) keyb   { return append(k, v) }
func (k keyb) acct(a [32]byte) keyb {
	return append(k, a[:]...)
}
func (k keyb) str(s string) keyb { return append(k, s...) }

func kN(name string, netuid uint16) []byte              { return key(name).u16(netuid) }
func kNU(name string, netuid, uid uint16) []byte        { return key(name).u16(netuid).u16(uid) }
func kA(name string, a [32]byte) []byte                 { return key(name).acct(a) }
func kNA(name string, netuid uint16, a [32]byte) []byte { return key(name).u16(netuid).acct(a) }
func kAN(name string, a [32]byte, netuid uint16) []byte { return key(name).acct(a).u16(netuid) }
func kAA(name string, a, b [32]byte) []byte             { return key(name).acct(a).acct(b) }

// typed access -------------------------------------------------------------------------------------

// st is the typed view of a kv.Store the runtime works through.
type st struct{ kv kv.Store }

func (s st) has(k []byte) bool { _, ok := s.kv.Get(k); return ok }
func (s st) del(k []byte)      { s.kv.Delete(k) }

func (s st) u64(k []byte) uint64 {
	v, ok := s.kv.Get(k)
	if !ok || len(v) != 8 {
		return 0
	}
	return binary.LittleEndian.Uint64(v)
}

func (s st) u64Or(k []byte, def uint64) uint64 {
	v, ok := s.kv.Get(k)
	if !ok || len(v) != 8 {
		return def
	}
	return binary.LittleEndian.Uint64(v)
}

func (s st) setU64(k []byte, v uint64) { s.setOwned(k, binary.LittleEndian.AppendUint64(nil, v)) }

// setOwned writes a value the caller built for this write and does not keep (no copy where the store
// takes ownership).
func (s st) setOwned(k, v []byte) { kv.SetOwned(s.kv, k, v) }

func (s st) u16(k []byte) uint16 {
	v, ok := s.kv.Get(k)
	if !ok || len(v) != 2 {
		return 0
	}
	return binary.LittleEndian.Uint16(v)
}

func (s st) setU16(k []byte, v uint16) { s.setOwned(k, binary.LittleEndian.AppendUint16(nil, v)) }

func (s st) boolean(k []byte) bool { v, ok := s.kv.Get(k); return ok && len(v) == 1 && v[0] == 1 }

func (s st) setBool(k []byte, v bool) {
	if v {
		s.kv.Set(k, []byte{1})
	} else {
		s.kv.Set(k, []byte{0})
	}
}

func (s st) acct(k []byte) ([32]byte, bool) {
	var a [32]byte
	v, ok := s.kv.Get(k)
	if !ok || len(v) != 32 {
		return a, false
	}
	copy(a[:], v)
	return a, true
}

func (s st) setAcct(k []byte, a [32]byte) { s.kv.Set(k, a[:]) }

// deletePrefix removes every key under prefix (collected first, then deleted in order).
func (s st) deletePrefix(prefix []byte) {
	var keys [][]byte
	kv.IteratePrefix(s.kv, prefix, func(k, _ []byte) bool {
		keys = append(keys, append([]byte(nil), k...))
		return true
	})
	for _, k := range keys {
		s.kv.Delete(k)
	}
}

// accounts -----------------------------------------------------------------------------------------

// AccountInfo is an account's nonce and free balance (rao).
type AccountInfo struct {
	Nonce uint64 `json:"nonce"`
	Free  uint64 `json:"free"`
}

func (s st) account(a [32]byte) AccountInfo {
	v, ok := s.kv.Get(kA(kAccount, a))
	if !ok {
		return AccountInfo{}
	}
	r := codec.NewReader(v)
	info := AccountInfo{Nonce: r.U64(), Free: r.U64()}
	return info
}

func (s st) setAccount(a [32]byte, info AccountInfo) {
	w := codec.NewWriter(16)
	w.U64(info.Nonce)
	w.U64(info.Free)
	s.kv.Set(kA(kAccount, a), w.Bytes())
}

func (s st) balance(a [32]byte) uint64 { return s.account(a).Free }

func (s st) setBalance(a [32]byte, v uint64) {
	info := s.account(a)
	info.Free = v
	s.setAccount(a, info)
}

// weight rows --------------------------------------------------------------------------------------

// WeightEntry is one (uid, value) entry of a stored weights or bonds row.
type WeightEntry struct {
	Uid   uint16 `json:"uid"`
	Value uint16 `json:"value"`
}

func encodeRow(row []WeightEntry) []byte {
	w := codec.NewWriter(2 + 4*len(row))
	w.Varint(uint64(len(row)))
	for _, e := range row {
		w.U16(e.Uid)
		w.U16(e.Value)
	}
	return w.Bytes()
}

func decodeRow(b []byte) []WeightEntry {
	r := codec.NewReader(b)
	n := r.Len(1<<20, 4)
	row := make([]WeightEntry, n)
	for i := range row {
		row[i] = WeightEntry{r.U16(), r.U16()}
	}
	return row
}

func (s st) row(name string, nidx, uid uint16) []WeightEntry {
	v, ok := s.kv.Get(kNU(name, nidx, uid))
	if !ok {
		return nil
	}
	return decodeRow(v)
}

func iteratePrefix(s st, prefix []byte, fn func(k, v []byte)) {
	kv.IteratePrefix(s.kv, prefix, func(k, v []byte) bool { fn(k, v); return true })
}

// per-uid vectors ----------------------------------------------------------------------------------

// The epoch outputs (Active, Emission, Consensus, Incentive, Dividends, ValidatorTrust, ValidatorPermit,
// StakeWeight), LastUpdate and BlockAtRegistration are stored like subtensor's Vec<…> items: one value per subnet under name/netuid holding
// the fixed-width little-endian elements in uid order (bools as one byte). An epoch writes each once; a
// missing element reads as 0/false.

func (s st) vecElem(name string, netuid, uid uint16, width int) []byte {
	v, ok := s.kv.Get(kN(name, netuid))
	off := int(uid) * width
	if !ok || off+width > len(v) {
		return nil
	}
	return v[off : off+width]
}

func (s st) vecU16(name string, netuid, uid uint16) uint16 {
	if e := s.vecElem(name, netuid, uid, 2); e != nil {
		return binary.LittleEndian.Uint16(e)
	}
	return 0
}

func (s st) vecU64(name string, netuid, uid uint16) uint64 {
	if e := s.vecElem(name, netuid, uid, 8); e != nil {
		return binary.LittleEndian.Uint64(e)
	}
	return 0
}

func (s st) vecBool(name string, netuid, uid uint16) bool {
	e := s.vecElem(name, netuid, uid, 1)
	return e != nil && e[0] == 1
}

// setVecElem writes one element (copy, extend with zeros if needed, write back).
func (s st) setVecElem(name string, netuid, uid uint16, elem []byte) {
	k := kN(name, netuid)
	old, _ := s.kv.Get(k)
	need := (int(uid) + 1) * len(elem)
	v := make([]byte, max(len(old), need))
	copy(v, old)
	copy(v[int(uid)*len(elem):], elem)
	s.setOwned(k, v)
}

func (s st) setVecU16(name string, netuid, uid, x uint16) {
	s.setVecElem(name, netuid, uid, binary.LittleEndian.AppendUint16(nil, x))
}

func (s st) setVecU64(name string, netuid, uid uint16, x uint64) {
	s.setVecElem(name, netuid, uid, binary.LittleEndian.AppendUint64(nil, x))
}

func (s st) setVecBool(name string, netuid, uid uint16, x bool) {
	b := byte(0)
	if x {
		b = 1
	}
	s.setVecElem(name, netuid, uid, []byte{b})
}

func (s st) setVecU16s(name string, netuid uint16, xs []uint16) {
	v := make([]byte, 2*len(xs))
	for i, x := range xs {
		binary.LittleEndian.PutUint16(v[2*i:], x)
	}
	s.setOwned(kN(name, netuid), v)
}

func (s st) setVecU64s(name string, netuid uint16, xs []uint64) {
	v := make([]byte, 8*len(xs))
	for i, x := range xs {
		binary.LittleEndian.PutUint64(v[8*i:], x)
	}
	s.setOwned(kN(name, netuid), v)
}

func (s st) setVecBools(name string, netuid uint16, xs []bool) {
	v := make([]byte, len(xs))
	for i, x := range xs {
		if x {
			v[i] = 1
		}
	}
	s.setOwned(kN(name, netuid), v)
}

package runtime

import (
	"encoding/binary"
	"math/bits"

	"github.com/gotensor/gotensor/chain/fixed"
)

// Emission (spec/chain.md §7.1–7.3): the block emission with its halvings, the subnets' shares by TAO
// flow, the per-block injection into each emitting subnet's pool and the alpha split into the pending
// accumulators the epoch drains (epoch.go). All economic arithmetic is substrate-fixed (chain/fixed).

// TotalSupply is 21 M TAO in rao; DefaultBlockEmission is 1 TAO.
const (
	TotalSupply          = 21_000_000 * tao
	DefaultBlockEmission = tao
)

// BlockEmissionForIssuance is get_block_emission_for_issuance (§7.1): 0 at or above the total supply,
// else ⌊10^9 / 2^k⌋ with k = ⌊log2(1 / (1 − issuance / 21e15))⌋, every step in I96F32. The chain takes
// the log2 with substrate-fixed's series; its floor is the position of the top bit of the integer part,
// which is what this computes, so the two agree except within a rounding error of a halving boundary.
func BlockEmissionForIssuance(issuance uint64) uint64 {
	ti := fixed.I96F32FromUint(issuance)
	if ti.Ge(fixed.I96F32FromUint(TotalSupply)) {
		return 0
	}
	one := fixed.I96F32FromUint(1)
	half := fixed.I96F32FromUint(2).SaturatingMul(fixed.I96F32FromUint(10_500_000_000_000_000))
	ratio, ok := ti.CheckedDiv(half)
	if !ok {
		return 0
	}
	rest, ok := one.CheckedSub(ratio)
	if !ok {
		return 0
	}
	y, ok := one.CheckedDiv(rest)
	if !ok {
		return 0
	}
	ip := y.SaturatingToUint64()
	if ip == 0 {
		return 0
	}
	k := bits.Len64(ip) - 1
	mult := one
	for i := 0; i < k; i++ {
		mult = mult.SaturatingMul(fixed.I96F32FromUint(2))
	}
	pct := one.SafeDiv(mult)
	return pct.SaturatingMul(fixed.I96F32FromUint(DefaultBlockEmission)).SaturatingToUint64()
}

// fixed-point storage -------------------------------------------------------------------------------

func (s st) fixed128(k []byte) (hi, lo uint64, ok bool) {
	v, found := s.kv.Get(k)
	if !found || len(v) < 16 {
		return 0, 0, false
	}
	n := len(v)
	return binary.LittleEndian.Uint64(v[n-8:]), binary.LittleEndian.Uint64(v[n-16 : n-8]), true
}

func appendFixed128(b []byte, hi, lo uint64) []byte {
	b = binary.LittleEndian.AppendUint64(b, lo)
	return binary.LittleEndian.AppendUint64(b, hi)
}

func (s st) movingPrice(netuid uint16) fixed.I96F32 {
	hi, lo, _ := s.fixed128(kN(kSubnetMovingPrice, netuid))
	return fixed.I96F32FromRaw(hi, lo)
}

func (s st) setMovingPrice(netuid uint16, x fixed.I96F32) {
	hi, lo := x.Raw()
	s.kv.Set(kN(kSubnetMovingPrice, netuid), appendFixed128(nil, hi, lo))
}

// subnets that emit ------------------------------------------------------------------------------------

// emittingSubnets is subnets_to_emit_to (§7.2): non-root, FirstEmissionBlockNumber set, subtoken
// enabled, and burned or PoW registration allowed. Ascending netuid.
func (s st) emittingSubnets() []uint16 {
	var out []uint16
	for _, n := range s.subnets() {
		if n == 0 || !s.has(kN(kFirstEmission, n)) || !s.hpBool(n, HPSubtokenEnabled) {
			continue
		}
		if s.hpBool(n, HPRegistrationAllowed) || s.hpBool(n, HPPowRegistrationAllowed) {
			out = append(out, n)
		}
	}
	return out
}

// emaFlow is get_ema_flow (§7.2 step 2): once per block, ema = (1 − a)·ema + a·flow in I64F64 with
// a = flow_ema_smoothing_factor / i64::MAX; the block's flow accumulator is then reset. The first call
// seeds the EMA with min(moving price, price).
func (s st) emaFlow(netuid uint16, block uint64) fixed.I64F64 {
	k := kN(kSubnetEmaTaoFlow, netuid)
	flow := fixed.I64F64FromInt(int64(s.u64(kN(kSubnetTaoFlow, netuid))))
	v, ok := s.kv.Get(k)
	var ema fixed.I64F64
	if ok && len(v) == 24 {
		last := binary.LittleEndian.Uint64(v[:8])
		prev := fixed.I64F64FromRaw(binary.LittleEndian.Uint64(v[16:]), binary.LittleEndian.Uint64(v[8:16]))
		if last == block {
			return prev
		}
		a := fixed.I64F64FromUint(s.global(GFlowEmaSmoothingFactor)).SafeDiv(fixed.I64F64FromInt(1<<63 - 1))
		one := fixed.I64F64FromInt(1)
		ema = one.SaturatingSub(a).SaturatingMul(prev).SaturatingAdd(a.SaturatingMul(flow))
	} else {
		mp := s.movingPrice(netuid).ToI64F64()
		ema = mp.Min(s.alphaPrice(netuid).ToI64F64())
	}
	hi, lo := ema.Raw()
	s.kv.Set(k, appendFixed128(binary.LittleEndian.AppendUint64(make([]byte, 0, 24), block), hi, lo))
	s.del(kN(kSubnetTaoFlow, netuid))
	return ema
}

// flowShares is §7.2 steps 3–5 with the default cutoff (0) and exponent (1): z_i = max(ema_i, 0) and
// share_i = z_i / Σz in U64F64 (all 0 when Σz = 0). gotensor has no flow_norm_exponent, so the
// exp/ln rescale the chain uses for p ≠ 1 is not needed and shares are exact quotients.
func flowShares(emas []fixed.I64F64) []fixed.U64F64 {
	z := make([]fixed.U64F64, len(emas))
	var sum fixed.U64F64
	for i, e := range emas {
		if e.IsNegative() {
			continue
		}
		z[i] = e.ToU64F64()
		sum = sum.SaturatingAdd(z[i])
	}
	for i := range z {
		z[i] = z[i].SafeDiv(sum)
	}
	return z
}

// taoWeightU96 is get_tao_weight: TaoWeight / u64::MAX in U96F32.
func (s st) taoWeightU96() fixed.U96F32 {
	return fixed.U96F32FromUint(s.global(GTaoWeight)).SafeDiv(fixed.U96F32FromUint(u64max))
}

// rootSellFlag is get_root_sell_flag: Σ over emitting subnets of the moving (EMA) price > 1.
func (s st) rootSellFlag(subnets []uint16) bool {
	sum := fixed.I96F32{}
	for _, n := range subnets {
		sum = sum.SaturatingAdd(s.movingPrice(n))
	}
	return sum.Gt(fixed.I96F32FromUint(1))
}

func tou64(x fixed.U96F32) uint64 { return x.SaturatingToUint64() }

// runCoinbase is §0.4 steps 2 and 4 (the injection half; epochs run after it): the block emission, the
// shares, and for each emitting subnet the pool injection and the participant accumulators (§7.3).
func runCoinbase(s st, block uint64) []Event {
	subnets := s.emittingSubnets()
	issuance := s.u64(key(kTotalIssuance))
	blockEm := BlockEmissionForIssuance(issuance)
	s.setU64(key(kBlockEmission), blockEm)
	if len(subnets) == 0 {
		return nil
	}
	emas := make([]fixed.I64F64, len(subnets))
	for i, n := range subnets {
		emas[i] = s.emaFlow(n, block)
	}
	shares := flowShares(emas)
	sell := s.rootSellFlag(subnets)
	cut := fixed.U96F32FromUint(s.global(GSubnetOwnerCut)).SafeDiv(fixed.U96F32FromUint(u16max))
	rootTAO := fixed.U96F32FromUint(s.u64(kN(kSubnetTAO, 0)))
	tw := rootTAO.SaturatingMul(s.taoWeightU96())
	halfF := fixed.U96F32FromRaw(0, 1<<31)
	var events []Event
	for i, n := range subnets {
		// §7.3 steps 1–3: the pool side.
		e := shares[i].SaturatingMul(fixed.U64F64FromUint(blockEm)).SaturatingToUint64()
		alphaIssuance := satAdd(s.u64(kN(kSubnetAlphaIn, n)), s.u64(kN(kSubnetAlphaOut, n)))
		ai := BlockEmissionForIssuance(alphaIssuance)
		price := s.alphaPrice(n)
		taoIn := e
		alphaIn := tou64(fixed.U96F32FromUint(e).SafeDiv(price))
		if capA := min(ai, blockEm); alphaIn > capA {
			alphaIn = capA
			taoIn = tou64(fixed.U96F32FromUint(alphaIn).SaturatingMul(price))
		}
		taoIn = min(taoIn, e)
		excess := e - taoIn
		s.addU64(kN(kSubnetTAO, n), taoIn)
		s.addU64(kN(kSubnetAlphaIn, n), alphaIn)
		s.addU64(key(kTotalStake), taoIn)
		var recycled, burned uint64
		if excess > 0 {
			// Swap the excess TAO for alpha fee-free (1:1 on the stable pool) and recycle that alpha.
			bought := min(excess, s.u64(kN(kSubnetAlphaIn, n)))
			s.addU64(kN(kSubnetTAO, n), excess)
			s.addU64(key(kTotalStake), excess)
			s.setU64(kN(kSubnetAlphaIn, n), s.u64(kN(kSubnetAlphaIn, n))-bought)
			recycled += bought
		}
		s.setU64(key(kTotalIssuance), satAdd(s.u64(key(kTotalIssuance)), taoIn+excess))
		s.setU64(kN(kTaoInEmission, n), taoIn)
		s.setU64(kN(kAlphaInEmission, n), alphaIn)
		s.setU64(kN(kAlphaOutEmission, n), ai)

		// §7.3 step 4: the participant side. A_i is minted outstanding, then split.
		s.addU64(kN(kSubnetAlphaOut, n), ai)
		a := fixed.U96F32FromUint(ai)
		ownerCut := a.SaturatingMul(cut)
		r := a.SaturatingSub(ownerCut)
		alphaIss := fixed.U96F32FromUint(satAdd(s.u64(kN(kSubnetAlphaIn, n)), s.u64(kN(kSubnetAlphaOut, n))))
		rootProp := tw.SafeDiv(tw.SaturatingAdd(alphaIss))
		rootAlpha := rootProp.SaturatingMul(r).SaturatingMul(halfF)
		server := r.SaturatingMul(halfF)
		validator := r.SaturatingSub(server).SaturatingSub(rootAlpha)
		oc, sv, va, ra := tou64(ownerCut), tou64(server), tou64(validator), tou64(rootAlpha)
		s.addU64(kN(kPendingOwnerCut, n), oc)
		s.addU64(kN(kPendingServer, n), sv)
		s.addU64(kN(kPendingValidator, n), va)
		if sell {
			s.addU64(kN(kPendingRoot, n), ra)
		} else if ra > 0 {
			s.setU64(kN(kSubnetAlphaOut, n), satSub(s.u64(kN(kSubnetAlphaOut, n)), ra))
			recycled += ra
		}
		// Flooring each accumulation leaves a few rao of A_i unassigned: they stay outstanding, unowned.
		if paid := oc + sv + va + ra; paid < ai {
			burned = ai - paid
			s.addU64(kN(kAlphaBurned, n), burned)
		}
		events = append(events, ev(EvSubnetEmission, attrU("netuid", uint64(n)), attrU("tao_in", taoIn),
			attrU("alpha_in", alphaIn), attrU("alpha_out", ai), attrU("excess_tao", excess), attrU("owner_cut", oc),
			attrU("server", sv), attrU("validator", va), attrU("root_alpha", ra), attrU("recycled_alpha", recycled),
			attrU("burned_alpha", burned)))
	}
	return events
}

// updateMovingPrices is update_moving_price for every emitting subnet (§0.4 step 5):
// α = SubnetMovingAlpha × b / (b + halving), b = blocks since start_call;
// moving = α × min(price, 1) + (1 − α) × moving, in U96F32, stored as I96F32.
func updateMovingPrices(s st, block uint64) {
	ma := fixed.I96F32FromRaw(0, s.global(GSubnetMovingAlpha)).ToU96F32()
	one := fixed.U96F32FromUint(1)
	for _, n := range s.emittingSubnets() {
		start := satSub(s.u64(kN(kFirstEmission, n)), 1)
		b := fixed.U96F32FromUint(satSub(block, start))
		halving := fixed.U96F32FromUint(s.hp(n, HPEMAPriceHalvingBlocks))
		alpha := ma.SaturatingMul(b.SafeDiv(b.SaturatingAdd(halving)))
		cur := alpha.SaturatingMul(s.alphaPrice(n).Min(one))
		mov := one.SaturatingSub(alpha).SaturatingMul(s.movingPrice(n).ToU96F32())
		s.setMovingPrice(n, cur.SaturatingAdd(mov).ToI96F32())
	}
}

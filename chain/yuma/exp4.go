package yuma

import "math/bits"

// rExpSafe4 is rExpSafe on four inputs at once: the four Taylor series run in lockstep, so the processor
// overlaps their multiply-and-divide chains. Results are identical to rExpSafe lane by lane (a lane whose
// term reached zero keeps adding zero terms, which is exact).
func rExpSafe4(x *[4]int64, out *[4]int64) {
	const lim = 20 << rFrac
	var y [4]uint64
	special := false
	for k, v := range x {
		if v < -lim {
			v = -lim
		} else if v > lim {
			v = lim
		}
		if v == 0 || v == rOne {
			special = true
		}
		if v < 0 {
			y[k] = uint64(-v)
		} else {
			y[k] = uint64(v)
		}
	}
	if special {
		for k := range x {
			out[k] = rExpSafe(x[k])
		}
		return
	}
	y0, y1, y2, y3 := y[0], y[1], y[2], y[3]
	r0, r1, r2, r3 := uint64(rOne)+y0, uint64(rOne)+y1, uint64(rOne)+y2, uint64(rOne)+y3
	t0, t1, t2, t3 := y0, y1, y2, y3
	var ov uint64
	var h0, h1, h2, h3, l0, l1, l2, l3 uint64
	if t0|t1|t2|t3 == 0 {
		goto done
	}
	h0, l0 = bits.Mul64(t0, y0)
	h1, l1 = bits.Mul64(t1, y1)
	h2, l2 = bits.Mul64(t2, y2)
	h3, l3 = bits.Mul64(t3, y3)
	ov |= h0 | h1 | h2 | h3
	t0 = (h0<<32 | l0>>32) / 2
	t1 = (h1<<32 | l1>>32) / 2
	t2 = (h2<<32 | l2>>32) / 2
	t3 = (h3<<32 | l3>>32) / 2
	r0 += t0
	r1 += t1
	r2 += t2
	r3 += t3
	if t0|t1|t2|t3 == 0 {
		goto done
	}
	h0, l0 = bits.Mul64(t0, y0)
	h1, l1 = bits.Mul64(t1, y1)
	h2, l2 = bits.Mul64(t2, y2)
	h3, l3 = bits.Mul64(t3, y3)
	ov |= h0 | h1 | h2 | h3
	t0 = (h0<<32 | l0>>32) / 3
	t1 = (h1<<32 | l1>>32) / 3
	t2 = (h2<<32 | l2>>32) / 3
	t3 = (h3<<32 | l3>>32) / 3
	r0 += t0
	r1 += t1
	r2 += t2
	r3 += t3
	if t0|t1|t2|t3 == 0 {
		goto done
	}
	h0, l0 = bits.Mul64(t0, y0)
	h1, l1 = bits.Mul64(t1, y1)
	h2, l2 = bits.Mul64(t2, y2)
	h3, l3 = bits.Mul64(t3, y3)
	ov |= h0 | h1 | h2 | h3
	t0 = (h0<<32 | l0>>32) / 4
	t1 = (h1<<32 | l1>>32) / 4
	t2 = (h2<<32 | l2>>32) / 4
	t3 = (h3<<32 | l3>>32) / 4
	r0 += t0
	r1 += t1
	r2 += t2
	r3 += t3
	if t0|t1|t2|t3 == 0 {
		goto done
	}
	h0, l0 = bits.Mul64(t0, y0)
	h1, l1 = bits.Mul64(t1, y1)
	h2, l2 = bits.Mul64(t2, y2)
	h3, l3 = bits.Mul64(t3, y3)
	ov |= h0 | h1 | h2 | h3
	t0 = (h0<<32 | l0>>32) / 5
	t1 = (h1<<32 | l1>>32) / 5
	t2 = (h2<<32 | l2>>32) / 5
	t3 = (h3<<32 | l3>>32) / 5
	r0 += t0
	r1 += t1
	r2 += t2
	r3 += t3
	if t0|t1|t2|t3 == 0 {
		goto done
	}
	h0, l0 = bits.Mul64(t0, y0)
	h1, l1 = bits.Mul64(t1, y1)
	h2, l2 = bits.Mul64(t2, y2)
	h3, l3 = bits.Mul64(t3, y3)
	ov |= h0 | h1 | h2 | h3
	t0 = (h0<<32 | l0>>32) / 6
	t1 = (h1<<32 | l1>>32) / 6
	t2 = (h2<<32 | l2>>32) / 6
	t3 = (h3<<32 | l3>>32) / 6
	r0 += t0
	r1 += t1
	r2 += t2
	r3 += t3
	if t0|t1|t2|t3 == 0 {
		goto done
	}
	h0, l0 = bits.Mul64(t0, y0)
	h1, l1 = bits.Mul64(t1, y1)
	h2, l2 = bits.Mul64(t2, y2)
	h3, l3 = bits.Mul64(t3, y3)
	ov |= h0 | h1 | h2 | h3
	t0 = (h0<<32 | l0>>32) / 7
	t1 = (h1<<32 | l1>>32) / 7
	t2 = (h2<<32 | l2>>32) / 7
	t3 = (h3<<32 | l3>>32) / 7
	r0 += t0
	r1 += t1
	r2 += t2
	r3 += t3
	if t0|t1|t2|t3 == 0 {
		goto done
	}
	h0, l0 = bits.Mul64(t0, y0)
	h1, l1 = bits.Mul64(t1, y1)
	h2, l2 = bits.Mul64(t2, y2)
	h3, l3 = bits.Mul64(t3, y3)
	ov |= h0 | h1 | h2 | h3
	t0 = (h0<<32 | l0>>32) / 8
	t1 = (h1<<32 | l1>>32) / 8
	t2 = (h2<<32 | l2>>32) / 8
	t3 = (h3<<32 | l3>>32) / 8
	r0 += t0
	r1 += t1
	r2 += t2
	r3 += t3
	if t0|t1|t2|t3 == 0 {
		goto done
	}
	h0, l0 = bits.Mul64(t0, y0)
	h1, l1 = bits.Mul64(t1, y1)
	h2, l2 = bits.Mul64(t2, y2)
	h3, l3 = bits.Mul64(t3, y3)
	ov |= h0 | h1 | h2 | h3
	t0 = (h0<<32 | l0>>32) / 9
	t1 = (h1<<32 | l1>>32) / 9
	t2 = (h2<<32 | l2>>32) / 9
	t3 = (h3<<32 | l3>>32) / 9
	r0 += t0
	r1 += t1
	r2 += t2
	r3 += t3
	if t0|t1|t2|t3 == 0 {
		goto done
	}
	h0, l0 = bits.Mul64(t0, y0)
	h1, l1 = bits.Mul64(t1, y1)
	h2, l2 = bits.Mul64(t2, y2)
	h3, l3 = bits.Mul64(t3, y3)
	ov |= h0 | h1 | h2 | h3
	t0 = (h0<<32 | l0>>32) / 10
	t1 = (h1<<32 | l1>>32) / 10
	t2 = (h2<<32 | l2>>32) / 10
	t3 = (h3<<32 | l3>>32) / 10
	r0 += t0
	r1 += t1
	r2 += t2
	r3 += t3
	if t0|t1|t2|t3 == 0 {
		goto done
	}
	h0, l0 = bits.Mul64(t0, y0)
	h1, l1 = bits.Mul64(t1, y1)
	h2, l2 = bits.Mul64(t2, y2)
	h3, l3 = bits.Mul64(t3, y3)
	ov |= h0 | h1 | h2 | h3
	t0 = (h0<<32 | l0>>32) / 11
	t1 = (h1<<32 | l1>>32) / 11
	t2 = (h2<<32 | l2>>32) / 11
	t3 = (h3<<32 | l3>>32) / 11
	r0 += t0
	r1 += t1
	r2 += t2
	r3 += t3
	if t0|t1|t2|t3 == 0 {
		goto done
	}
	h0, l0 = bits.Mul64(t0, y0)
	h1, l1 = bits.Mul64(t1, y1)
	h2, l2 = bits.Mul64(t2, y2)
	h3, l3 = bits.Mul64(t3, y3)
	ov |= h0 | h1 | h2 | h3
	t0 = (h0<<32 | l0>>32) / 12
	t1 = (h1<<32 | l1>>32) / 12
	t2 = (h2<<32 | l2>>32) / 12
	t3 = (h3<<32 | l3>>32) / 12
	r0 += t0
	r1 += t1
	r2 += t2
	r3 += t3
	if t0|t1|t2|t3 == 0 {
		goto done
	}
	h0, l0 = bits.Mul64(t0, y0)
	h1, l1 = bits.Mul64(t1, y1)
	h2, l2 = bits.Mul64(t2, y2)
	h3, l3 = bits.Mul64(t3, y3)
	ov |= h0 | h1 | h2 | h3
	t0 = (h0<<32 | l0>>32) / 13
	t1 = (h1<<32 | l1>>32) / 13
	t2 = (h2<<32 | l2>>32) / 13
	t3 = (h3<<32 | l3>>32) / 13
	r0 += t0
	r1 += t1
	r2 += t2
	r3 += t3
	if t0|t1|t2|t3 == 0 {
		goto done
	}
	h0, l0 = bits.Mul64(t0, y0)
	h1, l1 = bits.Mul64(t1, y1)
	h2, l2 = bits.Mul64(t2, y2)
	h3, l3 = bits.Mul64(t3, y3)
	ov |= h0 | h1 | h2 | h3
	t0 = (h0<<32 | l0>>32) / 14
	t1 = (h1<<32 | l1>>32) / 14
	t2 = (h2<<32 | l2>>32) / 14
	t3 = (h3<<32 | l3>>32) / 14
	r0 += t0
	r1 += t1
	r2 += t2
	r3 += t3
	if t0|t1|t2|t3 == 0 {
		goto done
	}
	h0, l0 = bits.Mul64(t0, y0)
	h1, l1 = bits.Mul64(t1, y1)
	h2, l2 = bits.Mul64(t2, y2)
	h3, l3 = bits.Mul64(t3, y3)
	ov |= h0 | h1 | h2 | h3
	t0 = (h0<<32 | l0>>32) / 15
	t1 = (h1<<32 | l1>>32) / 15
	t2 = (h2<<32 | l2>>32) / 15
	t3 = (h3<<32 | l3>>32) / 15
	r0 += t0
	r1 += t1
	r2 += t2
	r3 += t3
	if t0|t1|t2|t3 == 0 {
		goto done
	}
	h0, l0 = bits.Mul64(t0, y0)
	h1, l1 = bits.Mul64(t1, y1)
	h2, l2 = bits.Mul64(t2, y2)
	h3, l3 = bits.Mul64(t3, y3)
	ov |= h0 | h1 | h2 | h3
	t0 = (h0<<32 | l0>>32) / 16
	t1 = (h1<<32 | l1>>32) / 16
	t2 = (h2<<32 | l2>>32) / 16
	t3 = (h3<<32 | l3>>32) / 16
	r0 += t0
	r1 += t1
	r2 += t2
	r3 += t3
	if t0|t1|t2|t3 == 0 {
		goto done
	}
	h0, l0 = bits.Mul64(t0, y0)
	h1, l1 = bits.Mul64(t1, y1)
	h2, l2 = bits.Mul64(t2, y2)
	h3, l3 = bits.Mul64(t3, y3)
	ov |= h0 | h1 | h2 | h3
	t0 = (h0<<32 | l0>>32) / 17
	t1 = (h1<<32 | l1>>32) / 17
	t2 = (h2<<32 | l2>>32) / 17
	t3 = (h3<<32 | l3>>32) / 17
	r0 += t0
	r1 += t1
	r2 += t2
	r3 += t3
	if t0|t1|t2|t3 == 0 {
		goto done
	}
	h0, l0 = bits.Mul64(t0, y0)
	h1, l1 = bits.Mul64(t1, y1)
	h2, l2 = bits.Mul64(t2, y2)
	h3, l3 = bits.Mul64(t3, y3)
	ov |= h0 | h1 | h2 | h3
	t0 = (h0<<32 | l0>>32) / 18
	t1 = (h1<<32 | l1>>32) / 18
	t2 = (h2<<32 | l2>>32) / 18
	t3 = (h3<<32 | l3>>32) / 18
	r0 += t0
	r1 += t1
	r2 += t2
	r3 += t3
	if t0|t1|t2|t3 == 0 {
		goto done
	}
	h0, l0 = bits.Mul64(t0, y0)
	h1, l1 = bits.Mul64(t1, y1)
	h2, l2 = bits.Mul64(t2, y2)
	h3, l3 = bits.Mul64(t3, y3)
	ov |= h0 | h1 | h2 | h3
	t0 = (h0<<32 | l0>>32) / 19
	t1 = (h1<<32 | l1>>32) / 19
	t2 = (h2<<32 | l2>>32) / 19
	t3 = (h3<<32 | l3>>32) / 19
	r0 += t0
	r1 += t1
	r2 += t2
	r3 += t3
	if t0|t1|t2|t3 == 0 {
		goto done
	}
	h0, l0 = bits.Mul64(t0, y0)
	h1, l1 = bits.Mul64(t1, y1)
	h2, l2 = bits.Mul64(t2, y2)
	h3, l3 = bits.Mul64(t3, y3)
	ov |= h0 | h1 | h2 | h3
	t0 = (h0<<32 | l0>>32) / 20
	t1 = (h1<<32 | l1>>32) / 20
	t2 = (h2<<32 | l2>>32) / 20
	t3 = (h3<<32 | l3>>32) / 20
	r0 += t0
	r1 += t1
	r2 += t2
	r3 += t3
	if t0|t1|t2|t3 == 0 {
		goto done
	}
	h0, l0 = bits.Mul64(t0, y0)
	h1, l1 = bits.Mul64(t1, y1)
	h2, l2 = bits.Mul64(t2, y2)
	h3, l3 = bits.Mul64(t3, y3)
	ov |= h0 | h1 | h2 | h3
	t0 = (h0<<32 | l0>>32) / 21
	t1 = (h1<<32 | l1>>32) / 21
	t2 = (h2<<32 | l2>>32) / 21
	t3 = (h3<<32 | l3>>32) / 21
	r0 += t0
	r1 += t1
	r2 += t2
	r3 += t3
	if t0|t1|t2|t3 == 0 {
		goto done
	}
	h0, l0 = bits.Mul64(t0, y0)
	h1, l1 = bits.Mul64(t1, y1)
	h2, l2 = bits.Mul64(t2, y2)
	h3, l3 = bits.Mul64(t3, y3)
	ov |= h0 | h1 | h2 | h3
	t0 = (h0<<32 | l0>>32) / 22
	t1 = (h1<<32 | l1>>32) / 22
	t2 = (h2<<32 | l2>>32) / 22
	t3 = (h3<<32 | l3>>32) / 22
	r0 += t0
	r1 += t1
	r2 += t2
	r3 += t3
	if t0|t1|t2|t3 == 0 {
		goto done
	}
	h0, l0 = bits.Mul64(t0, y0)
	h1, l1 = bits.Mul64(t1, y1)
	h2, l2 = bits.Mul64(t2, y2)
	h3, l3 = bits.Mul64(t3, y3)
	ov |= h0 | h1 | h2 | h3
	t0 = (h0<<32 | l0>>32) / 23
	t1 = (h1<<32 | l1>>32) / 23
	t2 = (h2<<32 | l2>>32) / 23
	t3 = (h3<<32 | l3>>32) / 23
	r0 += t0
	r1 += t1
	r2 += t2
	r3 += t3
	if t0|t1|t2|t3 == 0 {
		goto done
	}
	h0, l0 = bits.Mul64(t0, y0)
	h1, l1 = bits.Mul64(t1, y1)
	h2, l2 = bits.Mul64(t2, y2)
	h3, l3 = bits.Mul64(t3, y3)
	ov |= h0 | h1 | h2 | h3
	t0 = (h0<<32 | l0>>32) / 24
	t1 = (h1<<32 | l1>>32) / 24
	t2 = (h2<<32 | l2>>32) / 24
	t3 = (h3<<32 | l3>>32) / 24
	r0 += t0
	r1 += t1
	r2 += t2
	r3 += t3
	if t0|t1|t2|t3 == 0 {
		goto done
	}
	h0, l0 = bits.Mul64(t0, y0)
	h1, l1 = bits.Mul64(t1, y1)
	h2, l2 = bits.Mul64(t2, y2)
	h3, l3 = bits.Mul64(t3, y3)
	ov |= h0 | h1 | h2 | h3
	t0 = (h0<<32 | l0>>32) / 25
	t1 = (h1<<32 | l1>>32) / 25
	t2 = (h2<<32 | l2>>32) / 25
	t3 = (h3<<32 | l3>>32) / 25
	r0 += t0
	r1 += t1
	r2 += t2
	r3 += t3
	if t0|t1|t2|t3 == 0 {
		goto done
	}
	h0, l0 = bits.Mul64(t0, y0)
	h1, l1 = bits.Mul64(t1, y1)
	h2, l2 = bits.Mul64(t2, y2)
	h3, l3 = bits.Mul64(t3, y3)
	ov |= h0 | h1 | h2 | h3
	t0 = (h0<<32 | l0>>32) / 26
	t1 = (h1<<32 | l1>>32) / 26
	t2 = (h2<<32 | l2>>32) / 26
	t3 = (h3<<32 | l3>>32) / 26
	r0 += t0
	r1 += t1
	r2 += t2
	r3 += t3
	if t0|t1|t2|t3 == 0 {
		goto done
	}
	h0, l0 = bits.Mul64(t0, y0)
	h1, l1 = bits.Mul64(t1, y1)
	h2, l2 = bits.Mul64(t2, y2)
	h3, l3 = bits.Mul64(t3, y3)
	ov |= h0 | h1 | h2 | h3
	t0 = (h0<<32 | l0>>32) / 27
	t1 = (h1<<32 | l1>>32) / 27
	t2 = (h2<<32 | l2>>32) / 27
	t3 = (h3<<32 | l3>>32) / 27
	r0 += t0
	r1 += t1
	r2 += t2
	r3 += t3
	if t0|t1|t2|t3 == 0 {
		goto done
	}
	h0, l0 = bits.Mul64(t0, y0)
	h1, l1 = bits.Mul64(t1, y1)
	h2, l2 = bits.Mul64(t2, y2)
	h3, l3 = bits.Mul64(t3, y3)
	ov |= h0 | h1 | h2 | h3
	t0 = (h0<<32 | l0>>32) / 28
	t1 = (h1<<32 | l1>>32) / 28
	t2 = (h2<<32 | l2>>32) / 28
	t3 = (h3<<32 | l3>>32) / 28
	r0 += t0
	r1 += t1
	r2 += t2
	r3 += t3
	if t0|t1|t2|t3 == 0 {
		goto done
	}
	h0, l0 = bits.Mul64(t0, y0)
	h1, l1 = bits.Mul64(t1, y1)
	h2, l2 = bits.Mul64(t2, y2)
	h3, l3 = bits.Mul64(t3, y3)
	ov |= h0 | h1 | h2 | h3
	t0 = (h0<<32 | l0>>32) / 29
	t1 = (h1<<32 | l1>>32) / 29
	t2 = (h2<<32 | l2>>32) / 29
	t3 = (h3<<32 | l3>>32) / 29
	r0 += t0
	r1 += t1
	r2 += t2
	r3 += t3
	if t0|t1|t2|t3 == 0 {
		goto done
	}
	h0, l0 = bits.Mul64(t0, y0)
	h1, l1 = bits.Mul64(t1, y1)
	h2, l2 = bits.Mul64(t2, y2)
	h3, l3 = bits.Mul64(t3, y3)
	ov |= h0 | h1 | h2 | h3
	t0 = (h0<<32 | l0>>32) / 30
	t1 = (h1<<32 | l1>>32) / 30
	t2 = (h2<<32 | l2>>32) / 30
	t3 = (h3<<32 | l3>>32) / 30
	r0 += t0
	r1 += t1
	r2 += t2
	r3 += t3
	if t0|t1|t2|t3 == 0 {
		goto done
	}
	h0, l0 = bits.Mul64(t0, y0)
	h1, l1 = bits.Mul64(t1, y1)
	h2, l2 = bits.Mul64(t2, y2)
	h3, l3 = bits.Mul64(t3, y3)
	ov |= h0 | h1 | h2 | h3
	t0 = (h0<<32 | l0>>32) / 31
	t1 = (h1<<32 | l1>>32) / 31
	t2 = (h2<<32 | l2>>32) / 31
	t3 = (h3<<32 | l3>>32) / 31
	r0 += t0
	r1 += t1
	r2 += t2
	r3 += t3
done:
	if ov >= 1<<31 || (r0|r1|r2|r3) > uint64(rMax) {
		// Cannot happen inside [−20, 20]; fall back to the checked scalar form.
		for k := range x {
			out[k] = rExpSafe(x[k])
		}
		return
	}
	r := [4]uint64{r0, r1, r2, r3}
	for k, v := range x {
		if v < 0 {
			q, ok := rDivChecked(rOne, int64(r[k]))
			if !ok {
				q = 0
			}
			out[k] = q
		} else {
			out[k] = int64(r[k])
		}
	}
}

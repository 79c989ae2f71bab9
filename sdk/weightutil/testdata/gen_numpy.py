#!/usr/bin/env python3
"""Differential vectors for sdk/weightutil (derived, not upstream).

Runs bittensor's weight_utils code (normalize_max_weight and process_weights, v10.2.0, numpy path, logging
removed) under NumPy's NEP 50 promotion, the rule NumPy 2 applies and the SDK runs with. Generated with
Debian's python3-numpy 1.24.2 and np._set_promotion_state("weak"); NumPy 2's quantile also casts a Python
float q to the array dtype, which quantile_np2 below reproduces. Regenerate:

    apt-get install python3-numpy && /usr/bin/python3 gen_numpy.py > numpy_derived.json
"""
import json
import numpy as np

np._set_promotion_state("weak")
U16_MAX = 65535


def normalize_max_weight(x, limit=0.1):
    epsilon = 1e-7
    weights = x.copy()
    values = np.sort(weights)
    if x.sum() == 0 or x.shape[0] * limit <= 1:
        return np.ones_like(x) / x.shape[0]
    else:
        estimation = values / values.sum()
        if estimation.max() <= limit:
            return weights / weights.sum()
        cumsum = np.cumsum(estimation, 0)
        estimation_sum = np.array([(len(values) - i - 1) * estimation[i] for i in range(len(values))])
        n_values = (estimation / (estimation_sum + cumsum + epsilon) < limit).sum()
        cutoff_scale = (limit * cumsum[n_values - 1] - epsilon) / (1 - (limit * (len(estimation) - n_values)))
        cutoff = cutoff_scale * values.sum()
        weights[weights > cutoff] = cutoff
        y = weights / weights.sum()
        return y


def quantile_np2(a, q):
    # numpy 2: q = np.asanyarray(q, dtype=a.dtype) for a Python float; linear method.
    s = np.sort(a)
    q = np.float32(q)
    n = len(s)
    v = (n - 1) * q
    if v >= n - 1:
        return s[-1]
    p = int(np.floor(v))
    g = np.float32(v - np.float32(p))
    lo, hi = s[p], s[p + 1]
    d = hi - lo
    if g >= 0.5:
        return hi - d * (1 - g)
    return lo + d * g


def process_weights(uids, weights, num_neurons, min_allowed_weights, max_weight_limit, exclude_quantile=0):
    weights = weights.astype(np.float32)
    quantile = exclude_quantile / U16_MAX
    non_zero_weight_idx = np.argwhere(weights > 0).squeeze(axis=1)
    non_zero_weight_uids = uids[non_zero_weight_idx]
    non_zero_weights = weights[non_zero_weight_idx]
    nzw_size = non_zero_weights.size
    if nzw_size == 0 or num_neurons < min_allowed_weights:
        final_weights = np.ones(num_neurons, dtype=np.int64) / num_neurons
        return np.arange(len(final_weights)), final_weights
    elif nzw_size < min_allowed_weights:
        weights = np.ones(num_neurons, dtype=np.int64) * 1e-5
        weights[non_zero_weight_idx] += non_zero_weights
        normalized_weights = normalize_max_weight(x=weights, limit=max_weight_limit)
        return np.arange(len(normalized_weights)), normalized_weights
    max_exclude = max(0, len(non_zero_weights) - min_allowed_weights) / len(non_zero_weights)
    exclude_quantile = min([quantile, max_exclude])
    lowest_quantile = quantile_np2(non_zero_weights, exclude_quantile)
    non_zero_weight_uids = non_zero_weight_uids[lowest_quantile <= non_zero_weights]
    non_zero_weights = non_zero_weights[lowest_quantile <= non_zero_weights]
    normalized_weights = normalize_max_weight(x=non_zero_weights, limit=max_weight_limit)
    return non_zero_weight_uids, normalized_weights


def draw(rng, n):
    kind = rng.integers(0, 5)
    if kind == 0:
        x = rng.random(n)
    elif kind == 1:
        x = rng.random(n) ** rng.integers(2, 12)
    elif kind == 2:
        x = rng.integers(0, 4, n).astype(np.float64)
    elif kind == 3:
        x = rng.exponential(1.0, n)
        x[rng.integers(0, n)] *= 50
    else:
        x = rng.random(n)
        x[rng.random(n) < 0.6] = 0
    return x


def main():
    rng = np.random.default_rng(20261122)
    limits = [0.05, 0.1, 0.2, 0.25, 0.3, 0.5, 1.0]
    norm = []
    for i in range(160):
        n = int(rng.integers(1, 40)) if i % 8 else int(rng.integers(120, 300))
        x = draw(rng, n)
        limit = float(rng.choice(limits)) if rng.random() < 0.7 else float(np.round(rng.random(), 4))
        dtype = "float32" if i % 3 else "float64"
        arr = x.astype(np.float32) if dtype == "float32" else x.astype(np.float64)
        y = normalize_max_weight(arr, limit)
        assert y.dtype == arr.dtype
        norm.append({"x": [float(v) for v in arr], "limit": limit, "dtype": dtype, "out": [float(v) for v in y]})
    proc = []
    for i in range(120):
        n = int(rng.integers(1, 60))
        m = int(rng.integers(1, n + 1))
        x = draw(rng, m)
        uids = rng.permutation(n)[:m].astype(np.int64)
        min_allowed = int(rng.integers(0, min(n, 12) + 2))
        limit = float(rng.choice(limits))
        exclude = int(rng.choice([0, 0, 6553, 16384, 32768, 65535, int(rng.integers(0, 65536))]))
        ou, ow = process_weights(uids, x, n, min_allowed, limit, exclude)
        proc.append({"uids": [int(u) for u in uids], "weights": [float(v) for v in x], "n": n,
                     "min_allowed_weights": min_allowed, "max_weight_limit": limit, "exclude_quantile": exclude,
                     "out_uids": [int(u) for u in ou], "out_weights": [float(v) for v in ow], "dtype": str(ow.dtype)})
    print(json.dumps({"_about": __doc__.strip().splitlines()[0], "numpy": np.__version__, "promotion": "weak (NEP 50)",
                      "normalize_max_weight": norm, "process_weights": proc}, separators=(",", ":")))


main()

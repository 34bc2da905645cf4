# Extra test vectors for tests/engine/risk (other tiers, a cross bucket with two symbols), computed
# with Python integers from the formulas of risk-model.md; the C++ tests hold the numbers.
E8 = 10**8
USD = 10**6
BR = [(0, 400_000), (50_000, 500_000), (250_000, 1_000_000), (1_000_000, 2_500_000),
      (10_000_000, 5_000_000), (20_000_000, 10_000_000), (50_000_000, 12_500_000),
      (100_000_000, 15_000_000), (200_000_000, 25_000_000), (300_000_000, 50_000_000)]
tiers = []; cum = 0; prev = 0
for fl, m in BR:
    if tiers: cum += fl * USD * (m - prev) // E8
    tiers.append((fl * USD, m, cum)); prev = m

def tier(n):
    t = tiers[0]
    for tt in tiers:
        if n > tt[0]: t = tt
    return t

def cdiv(a, b): return -((-a) // b)
def mm(n):
    if n <= 0: return 0
    _, m, c = tier(n); return cdiv(n * m, E8) - c

def long_trigger(q, s, k):
    best = 0
    for fl, m, c in tiers:
        N = (-q - c) * E8; D = s * k * (E8 - m); p = (N - 1) // D
        if p >= 1 and tier(s * p * k) == (fl, m, c): best = max(best, p)
    return best

def short_trigger(q, s, k):
    best = None
    for fl, m, c in tiers:
        N = (q + c) * E8; D = s * k * (E8 + m); p = N // D + 1
        if tier(s * p * k) == (fl, m, c): best = p if best is None else min(best, p)
    return best

K = 100
print("== whale long in tier 4: deposit 1.5M USD, buys 150,000 lots at 1,000,000")
q = 1_500_000 * USD - 150_000 * 1_000_000 * K; s = 150_000
print("quote", q, "notional", s * 1_000_000 * K, "MM at entry", mm(s * 1_000_000 * K))
t = long_trigger(q, s, K); print("trigger", t)
for p in (t, t + 1): print(" p", p, "equity", q + s * p * K, "MM", mm(s * p * K))
print("BPquote", -q, "limit", cdiv(-q, s * K))

print("== short in tier 3: deposit 100k USD, sells 20,000 lots at 1,000,000")
q = 100_000 * USD + 20_000 * 1_000_000 * K; s = 20_000
t = short_trigger(q, s, K); print("quote", q, "trigger", t)
for p in (t - 1, t): print(" p", p, "equity", q - s * p * K, "MM", mm(s * p * K))
print("BPquote", -q, "limit", (q) // (s * K))

print("== cross bucket: 20,000 USD, long 1,000 BTC lots at 1,000,000, short 10,000 ETH lots at 30,000")
# ETH: lot 0.01, tick 0.01 => K = 100 too; same tiers for the test.
q = 20_000 * USD - 1_000 * 1_000_000 * K + 10_000 * 30_000 * K
print("quote", q)
def parts(btc_mark, eth_mark):
    vb = 1_000 * btc_mark * K; ve = -10_000 * eth_mark * K
    return vb, ve, mm(abs(vb)), mm(abs(ve))
for eth in (30_000, 31_000):
    vb, ve, mb, me = parts(1_000_000, eth)
    qeff_btc = q + ve - me
    qeff_eth = q + vb - mb
    print(" eth mark", eth, "btc trigger", long_trigger(qeff_btc, 1_000, K),
          "eth trigger (btc at 1,000,000)", short_trigger(qeff_eth, 10_000, K))
btc_mark = long_trigger(q + (-10_000 * 31_000 * K) - mm(10_000 * 31_000 * K), 1_000, K)
vb, ve, mb, me = parts(btc_mark, 31_000)
E = q + vb + ve; M = mb + me
print(" liquidation at btc", btc_mark, "eth 31,000: equity", E, "MM", M, "MM_btc", mb, "MM_eth", me)
bp = vb - (E * mb) // M
print(" BTC BPquote", bp, "limit", cdiv(bp, 1_000 * K))
# Takeover by the fund at BP (no book): the bucket keeps E - floor(E*MMbtc/MM); ETH is next only if
# still liquidatable.
q2 = q + bp
E2 = q2 + ve
print(" after BTC takeover: quote", q2, "equity", E2, "MM", me, "liquidatable", E2 < me)

#!/usr/bin/python3
"""crash.py OUT SEED: a slot stream with a planted crash regime.

40 slots, 500 trading days from 2020-01-02.  Crash blocks of 12 days
come about every 50 days; a decision on day t of a block earns day t+2's
return of -1.2% (sd 0.6%), other days +0.08%.  Feature f0 of every slot
is 2 in a block and 0 outside, plus noise (sd 0.5): a market-wide level
the policy reads on day t; f1 is noise.  OUT.regime lists each date and
1 in a block, 0 outside.  Debian's /usr/bin/python3 with numpy.
"""
import datetime
import sys

import tmt_np
import numpy as np
rng = np.random.default_rng(int(sys.argv[2]))
N, T = 40, 500
# Crash blocks: 12 days in every 50, the start jittered.
c = np.zeros(T, int)
t = int(rng.integers(20, 40))
while t < T:
    c[t:t + 12] = 1
    t += 50 + int(rng.integers(-8, 9))
ret = rng.normal(0.0008, 0.006, (T, N))
for t in range(T - 2):
    if c[t]:
        ret[t + 2] = rng.normal(-0.012, 0.006, N)
ret[0] = 0
close = 50 * np.cumprod(1 + ret, axis=0)
w = tmt_np.Writer(open(sys.argv[1], "wb"))
d = datetime.date(2020, 1, 2); k = 0
tick = ["S%02d" % i for i in range(N)]
with open(sys.argv[1] + ".regime", "w") as rf:
    while k < T:
        if d.weekday() < 5:
            a = np.zeros((N, 5), np.float32)
            a[:, 0] = 2 * c[k] + rng.normal(0, 0.5, N)
            a[:, 1] = rng.normal(0, 1, N)
            a[:, 2] = close[k]; a[:, 3] = ret[k]; a[:, 4] = 0
            w.frame(a, ["slot", "feature"], {"slot": tick, "feature": ["f0", "f1", "close", "ret", "region"]}, {"date": d.isoformat()}, {"layout": "crash"})
            rf.write("%s %d\n" % (d.isoformat(), c[k]))
            k += 1
        d += datetime.timedelta(days=1)
w.end()

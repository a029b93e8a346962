tm-synth -n 120 -y 3 --seed 1 -o syn
tm-features <syn/prices.tmt |
    tm-slotmap -l 150,20,10 -m syn/membership.csv >slots.tmt
tm-train --algo dpg --seed 1 --epochs 1 -o model.tmt <slots.tmt
tm-infer -l -m model.tmt <slots.tmt >today.tmt
tm-diff -s state --slots slots.tmt --sectors syn/sectors.csv \
    --bench syn/benchmark.tmt today.tmt | tm-cat -o csv


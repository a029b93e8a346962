tm-diff -s state --reset "model v2" --slots slots.tmt today.tmt


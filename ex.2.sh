tm-diff -s state --off all --threshold 0 --slots slots.tmt day.tmt


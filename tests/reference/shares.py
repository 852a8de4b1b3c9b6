"""
Reference values for the simultaneous share intervals, computed in R independently of the
package.

Written by tests/reference/R/shares.R with R version 4.2.2 Patched (2022-11-10 r83330);
do not edit by hand: regenerate with

    Rscript tests/reference/R/shares.R > tests/reference/shares.py

Each coverage is an exact sum over every outcome of Multinomial(n, p).
"""

# --------------------------------------------------------------------------------------
# Exact simultaneous coverage (95% level) by enumeration
# --------------------------------------------------------------------------------------
# coverage(method, n, p) above; each row: method, n, k, kind of shares (equal, or
# geometric: each category half the one before), coverage.
# > coverage(method, n, shares(kind, k))
coverage = (
    ("goodman", 5, 2, "equal", 1.0),
    ("bonferroni-cp", 5, 2, "equal", 1.0),
    ("goodman", 5, 2, "geometric", 0.99588477366255079),
    ("bonferroni-cp", 5, 2, "geometric", 0.99588477366255079),
    ("goodman", 10, 2, "equal", 0.97851562500000477),
    ("bonferroni-cp", 10, 2, "equal", 0.97851562500000477),
    ("goodman", 10, 2, "geometric", 0.98033836305441568),
    ("bonferroni-cp", 10, 2, "geometric", 0.99659604735050888),
    ("goodman", 20, 2, "equal", 0.98818206787109208),
    ("bonferroni-cp", 20, 2, "equal", 0.98818206787109208),
    ("goodman", 20, 2, "geometric", 0.98371868791665729),
    ("bonferroni-cp", 20, 2, "geometric", 0.99296741576766834),
    ("goodman", 30, 2, "equal", 0.98387519828974446),
    ("bonferroni-cp", 30, 2, "equal", 0.98387519828974446),
    ("goodman", 30, 2, "geometric", 0.96897527493548286),
    ("bonferroni-cp", 30, 2, "geometric", 0.98054743485786688),
    ("goodman", 5, 3, "equal", 0.98765432098765338),
    ("bonferroni-cp", 5, 3, "equal", 0.98765432098765338),
    ("goodman", 5, 3, "geometric", 0.94627238650562229),
    ("bonferroni-cp", 5, 3, "geometric", 0.99625156184922903),
    ("goodman", 10, 3, "equal", 0.94101508916324017),
    ("bonferroni-cp", 10, 3, "equal", 0.98978814205151955),
    ("goodman", 10, 3, "geometric", 0.97899896355167371),
    ("bonferroni-cp", 10, 3, "geometric", 0.97899896355167371),
    ("goodman", 20, 3, "equal", 0.95485166936192978),
    ("bonferroni-cp", 20, 3, "equal", 0.98064694938389063),
    ("goodman", 20, 3, "geometric", 0.95545726076632898),
    ("bonferroni-cp", 20, 3, "geometric", 0.98094840676131256),
    ("goodman", 30, 3, "equal", 0.97111074211944914),
    ("bonferroni-cp", 30, 3, "equal", 0.97111074211944914),
    ("goodman", 30, 3, "geometric", 0.95579718114031553),
    ("bonferroni-cp", 30, 3, "geometric", 0.97451916582280318),
    ("goodman", 5, 5, "equal", 0.96639999999999981),
    ("bonferroni-cp", 5, 5, "equal", 0.99839999999999984),
    ("goodman", 5, 5, "geometric", 0.91883744648941912),
    ("bonferroni-cp", 5, 5, "geometric", 0.99486065793568235),
    ("goodman", 10, 5, "equal", 0.96815308800000488),
    ("bonferroni-cp", 10, 5, "equal", 0.99567820800000495),
    ("goodman", 10, 5, "geometric", 0.92280327733966561),
    ("bonferroni-cp", 10, 5, "geometric", 0.98726220372740969),
    ("goodman", 20, 5, "equal", 0.95010100325929558),
    ("bonferroni-cp", 20, 5, "equal", 0.98702588236970179),
    ("goodman", 20, 5, "geometric", 0.94590651571833895),
    ("bonferroni-cp", 20, 5, "geometric", 0.98418084493224878),
    ("goodman", 30, 5, "equal", 0.94761133804368602),
    ("bonferroni-cp", 30, 5, "equal", 0.9787909196916762),
    ("goodman", 30, 5, "geometric", 0.94392943038378507),
    ("bonferroni-cp", 30, 5, "geometric", 0.97850247496592979),
    ("goodman", 5, 8, "equal", 0.87158203125000022),
    ("bonferroni-cp", 5, 8, "equal", 0.99121093750000022),
    ("goodman", 5, 8, "geometric", 0.79945898558989781),
    ("bonferroni-cp", 5, 8, "geometric", 0.99220968540925669),
    ("goodman", 10, 8, "equal", 0.96437036991119995),
    ("bonferroni-cp", 10, 8, "equal", 0.99591971933842338),
    ("goodman", 10, 8, "geometric", 0.8174874186145753),
    ("bonferroni-cp", 10, 8, "geometric", 0.99089118651694974),
    ("goodman", 20, 8, "equal", 0.93325979291342021),
    ("bonferroni-cp", 20, 8, "equal", 0.98518454381443932),
    ("goodman", 20, 8, "geometric", 0.83802375742977309),
    ("bonferroni-cp", 20, 8, "geometric", 0.98699463001954801),
)

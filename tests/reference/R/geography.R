# Reference values for tests/test_geography.py (lfr_analysis.geography): exact Poisson limits of
# rates per resident (poisson.test(x, T), T = usual residents x years = person-years), the
# exact conditional limits of a rate ratio, the Clopper-Pearson limits of a share, and the
# sums the package computes from the data files (London's residents, its resident-weighted
# Black share, the Met's recorded offences per borough in 2025). Writes
# tests/reference/geography.py:
#   Rscript tests/reference/R/geography.R > tests/reference/geography.py

source(file.path("tests", "reference", "R", "common.R"))

garwood <- function(name, x, t, conf = 0.95) {
  call <- if (conf == 0.95) sprintf("poisson.test(%s, %s)$conf.int", x, t)
          else sprintf("poisson.test(%s, %s, conf.level = %s)$conf.int", x, t, conf)
  emit(name, call, fields = c("lower", "upper"))
}

# ---------------------------------------------------------------------------------------
section("Published figures")
emit_published("LONDON_USUAL_RESIDENTS", 8799728, paste(
  "ONS Census 2021 TS001, London region (E12000007), Total: all usual residents (the region",
  "row of input/data/TS001_residence_type_2021.csv.gz, github ONSvisual/dot-density-data",
  "@ 12ecaf83f869b8e1d4f5462c88c1736384c0f4f1)", sep = "\n"))
emit_published("LONDON_BLACK_PERCENT", 13.5, paste(
  "ONS, 'Ethnic group, England and Wales: Census 2021' (29 Nov 2022): London 13.5% Black",
  "(data/study_predictions.csv, census2021_london_black_share)", sep = "\n"))

# ---------------------------------------------------------------------------------------
section("Exact Poisson (Garwood) limits per person-year: poisson.test(x, T)$conf.int")
comment(paste(
  "T = usual residents (Census 2021) x years: a borough's person-years of residents. The",
  "tests multiply by 100,000 for a rate per 100,000 residents.", sep = "\n"))
garwood("croydon_28_in_390719", 28, 390719)
garwood("westminster_21_in_204236", 21, 204236)
garwood("city_0_in_8583", 0, 8583)
garwood("barnet_1_in_389344", 1, 389344)
garwood("london_179_in_8799728", 179, 8799728)
garwood("sutton_5_in_209639_conf90", 5, 209639, conf = 0.9)
comment("Half a year: T = 218869 x 0.5.")
garwood("barking_3_in_half_year", 3, "218869 * 0.5")
comment("Offences per resident (the tests multiply by 1,000).")
garwood("westminster_crimes_85011_in_204236", 85011, 204236)

# ---------------------------------------------------------------------------------------
section("Rate ratio and share")
emit("ratio_64_in_3647146_vs_55_in_5152582",
     "poisson.test(c(64, 55), c(3647146, 5152582))$conf.int", fields = c("lower", "upper"))
emit("ratio_5_in_3647146_vs_0_in_5152582",
     "poisson.test(c(5, 0), c(3647146, 5152582))$conf.int", fields = c("lower", "upper"))
emit("clopper_pearson_64_in_119", "binom.test(64, 119)$conf.int", fields = c("lower", "upper"))

# ---------------------------------------------------------------------------------------
section("Sums of the data files")
emit("census_usual_residents_total",
     "sum(read.csv(\"data/census2021_boroughs.csv\")$usual_residents)")
emit("census_black_percent_weighted", paste0(
  "with(read.csv(\"data/census2021_boroughs.csv\"),\n",
  "     sum(usual_residents * black_percent) / sum(usual_residents))"))
crime <- read.csv("data/mps_borough_crime.csv", check.names = FALSE)
months <- sprintf("2025%02d", 1:12)
totals <- tapply(rowSums(crime[, months]), crime$BOCU, sum)
comment(paste(
  "Offences recorded in 2025 per BOCU: the twelve monthly columns 202501-202512 summed over",
  "every Group/SubGroup row of data/mps_borough_crime.csv:", sep = "\n"))
show_call(paste0(
  "crime <- read.csv(\"data/mps_borough_crime.csv\", check.names = FALSE)\n",
  "tapply(rowSums(crime[, sprintf(\"2025%02d\", 1:12)]), crime$BOCU, sum)"))
line("CRIMES_2025 = {")
for (name in names(totals)) line("    \"", name, "\": ", sprintf("%d", as.integer(totals[[name]])), ",")
line("}")

write_module(paste0(
  "Reference values for lfr_analysis.geography, computed in R independently of the package.\n",
  "\n",
  "Written by tests/reference/R/geography.R with ", R.version.string, ";\n",
  "do not edit by hand: regenerate with\n",
  "\n",
  "    Rscript tests/reference/R/geography.R > tests/reference/geography.py\n",
  "\n",
  "Each value follows the R call that produced it and R's printed result (17 digits); the\n",
  "sums are read from the data files with read.csv."))

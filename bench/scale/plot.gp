# Plot for bench/cluster-scale.sh:
#   gnuplot -e "joins='..'; results='..'; set output '..svg'" plot.gp
# Optionally a second run to compare, drawn in orange: joins2, results2, and labels label1, label2.
set terminal svg size 960,400 font "sans,11" background rgb "white"
set datafile separator "\t"
if (!exists("label1")) label1 = "this run"
if (!exists("label2")) label2 = "second run"
set grid
set multiplot layout 1,2
set title "k-th host's start → all k hosts hold 2·k files"
set xlabel "hosts running (k)"
set ylabel "seconds"
set key top left
set yrange [0:*]
if (exists("joins2")) {
  plot joins every ::1 using 3:($5/1000) with points pt 7 ps 0.5 lc rgb "#1f77b4" title label1, \
       joins2 every ::1 using 3:($5/1000) with points pt 5 ps 0.5 lc rgb "#ff7f0e" title label2, \
       3 with lines dt 2 lc rgb "red" title "target at 50 hosts"
} else {
  plot joins every ::1 using 3:($5/1000) with points pt 7 ps 0.5 lc rgb "#1f77b4" title label1, \
       3 with lines dt 2 lc rgb "red" title "target at 50 hosts"
}
set title "idle CPU per host, over a quiet spell after the exchange"
set xlabel "N hosts"
set ylabel "% of one core (mean; bars: max)"
set xrange [0:55]
if (exists("results2")) {
  plot results every ::1 using 1:4 with linespoints pt 7 lc rgb "#1f77b4" title label1, \
       results every ::1 using 1:4:4:5 with yerrorbars pt 7 lc rgb "#1f77b4" notitle, \
       results2 every ::1 using 1:4 with linespoints pt 5 lc rgb "#ff7f0e" title label2, \
       results2 every ::1 using 1:4:4:5 with yerrorbars pt 5 lc rgb "#ff7f0e" notitle, \
       2 with lines dt 2 lc rgb "red" title "target: 2 %"
} else {
  plot results every ::1 using 1:4 with linespoints pt 7 lc rgb "#1f77b4" title label1, \
       results every ::1 using 1:4:4:5 with yerrorbars pt 7 lc rgb "#1f77b4" notitle, \
       2 with lines dt 2 lc rgb "red" title "target: 2 %"
}
unset multiplot

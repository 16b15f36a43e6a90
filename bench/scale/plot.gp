# Plot for bench/cluster-scale.sh: gnuplot -e "joins='..'; results='..'; set output '..svg'" plot.gp
set terminal svg size 900,380 font "sans,11" background rgb "white"
set datafile separator "\t"
set key top left
set grid
set multiplot layout 1,2
set title "k-th host's start → all k hosts hold 2·k files"
set xlabel "hosts running (k)"
set ylabel "ms"
plot joins every ::1 using 3:5 with points pt 7 ps 0.5 lc rgb "#1f77b4" title "exchange", \
     joins every ::1 using 3:4 with points pt 6 ps 0.5 lc rgb "#ff7f0e" title "own graph running", \
     3000 with lines dt 2 lc rgb "red" title "target at 50 hosts"
set title "per host, idle minute after convergence"
set xlabel "N hosts"
set ylabel "CPU, % of one core"
set y2label "VmRSS, MiB"
set y2tics
set ytics nomirror
set key top left
plot results every ::1 using 1:4 with linespoints pt 7 lc rgb "#1f77b4" title "CPU mean", \
     results every ::1 using 1:5 with linespoints pt 6 lc rgb "#1f77b4" dt 2 title "CPU max", \
     results every ::1 using 1:8 axes x1y2 with linespoints pt 5 lc rgb "#2ca02c" title "RSS mean", \
     2 with lines dt 2 lc rgb "red" title "2 % target"
unset multiplot

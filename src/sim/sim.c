/* src/sim/sim.c: in progress */
#include "config.h"

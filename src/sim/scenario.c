/* src/sim/scenario.c: in progress */
#include "config.h"

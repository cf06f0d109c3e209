/* src/engine/observer.c: in progress */
#include "config.h"

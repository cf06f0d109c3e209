/* src/engine/tcp.c: in progress */
#include "config.h"

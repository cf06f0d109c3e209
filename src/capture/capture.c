#include "capture/capture.h"
int cap_placeholder(void);
int cap_placeholder(void) { return 0; }

#include "ui/ui.h"
int ui_placeholder(void);
int ui_placeholder(void) { return 0; }

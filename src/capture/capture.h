/* capture/capture.h: reading captures and decoding TCP segments. */
#ifndef TT_CAPTURE_H
#define TT_CAPTURE_H
#endif

/* tutor/lesson.h: lesson files. */
#ifndef TT_LESSON_H
#define TT_LESSON_H
#endif

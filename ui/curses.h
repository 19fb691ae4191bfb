/*
 * The one place ui/ reaches the curses header: the wide-character ncurses
 * (ncursesw), with its wide functions enabled whatever the feature macros
 * of the including file. src/ never includes this (make check-layering).
 */
#ifndef SRMIGRATE_UI_CURSES_H
#define SRMIGRATE_UI_CURSES_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#if __has_include(<ncursesw/curses.h>)
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif

#endif /* SRMIGRATE_UI_CURSES_H */

/*
 * list.h: the one scrolling list every screen is made of: a cursor, a
 * first row shown, paging, following the newest row, search and mouse.
 * Rows are the screen's: the list asks it to draw row i and whether row
 * i contains a string.
 */
#ifndef LIST_H
#define LIST_H

#include <stddef.h>

#define LIST_WHEEL	3	/* rows a wheel step moves */

struct list {
	size_t		 n;		/* rows */
	size_t		 cur;		/* the cursor's row */
	size_t		 top;		/* the first row shown */
	int		 height;	/* rows shown at the last draw */
	int		 follow;	/* the cursor stays on the last row */
	int		 live;		/* follow makes sense here */
	void		(*draw)(void *, size_t, int, int, int);
	int		(*match)(void *, size_t, const char *);
	void		*arg;
};

void	list_init(struct list *, void (*)(void *, size_t, int, int, int),
	    int (*)(void *, size_t, const char *), void *, int);
void	list_set_count(struct list *, size_t);
void	list_goto(struct list *, size_t);
int	list_key(struct list *, int);
int	list_search(struct list *, const char *, size_t, int);
void	list_draw(struct list *, int, int, int);
int	list_click(struct list *, int);
void	list_wheel(struct list *, int);
int	list_icontains(const char *, size_t, const char *);

#endif

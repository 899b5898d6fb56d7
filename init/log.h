/* log.h: "reinit: ..." lines on stderr, built without stdio. */
#ifndef REINIT_LOG_H
#define REINIT_LOG_H

enum { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* Lines above this level are not written: 0 with -q, 1 by default. */
extern int log_level;

/* The name lines begin with: "reinit", or "tar" and "rm" as tools. */
extern const char *log_name;

/* log_msg(level, strings...): writes "reinit: " and the strings as one
 * line; a NULL among them ends it early. */
#define log_msg(level, ...) log_msg_(level, __VA_ARGS__, (const char *)0)
void log_msg_(int level, const char *s, ...);

/* n in decimal; buf holds LOG_NUM bytes. */
#define LOG_NUM 24
const char *log_num(char *buf, long long n);

/* A short text for an errno value, without stdio's table. */
const char *log_strerror(int err);

/* The nth (from 0) of the NUL-terminated strings that follow each other in
 * list: a table of texts without a pointer for each. */
const char *log_nth(const char *list, int n);

#endif

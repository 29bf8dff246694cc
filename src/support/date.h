/*
 * date.h — calendar dates as claudit's data writes them ("YYYY-MM-DD", UTC):
 * the config's attestations, the model catalog's lifecycle dates and the
 * run's date (CLAUDIT_TODAY). Owns no state.
 */
#ifndef CL_DATE_H
#define CL_DATE_H
#include <stdbool.h>

/* True when S is "YYYY-MM-DD" naming a day of the Gregorian calendar
 * (2026-02-30 is none; 2024-02-29 is one). */
bool cl_date_valid(const char *s);

/* Days from 1970-01-01 to the valid date S (proleptic Gregorian). */
long cl_date_days(const char *s);

#endif

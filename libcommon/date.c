/* date.c - civil dates as day numbers, and the NYSE trading calendar. */
#include <stdlib.h>
#include <string.h>

#include "tm.h"

/* Howard Hinnant's days_from_civil / civil_from_days (public domain). */
int32_t
tm_date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (unsigned)(m + (m > 2 ? -3 : 9)) + 2) / 5 +
	    (unsigned)d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int32_t)doe - 719468;
}

void
tm_date_ymd(int32_t z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int yy = (int)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yy + (*m <= 2);
}

static int
days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 ? 28 + leap : dm[m - 1];
}

int
tm_date_parse(const char *s, int32_t *day)
{
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1 ||
	    d > days_in_month(y, m))
		return -1;
	*day = tm_date_from_ymd(y, m, d);
	return 0;
}

char *
tm_date_fmt(int32_t day, char *buf)
{
	int y, m, d;

	tm_date_ymd(day, &y, &m, &d);
	y = y < 0 ? 0 : y % 10000;
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = buf[7] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
	return buf;
}

int
tm_date_weekday(int32_t day)
{
	/* 1970-01-01 was a Thursday (4). */
	int w = (int)((day % 7 + 7 + 4) % 7);
	return w;
}

/* The n-th (1-based) weekday wd of month m, or the last one when n == -1. */
static int32_t
nth_weekday(int y, int m, int wd, int n)
{
	if (n > 0) {
		int32_t first = tm_date_from_ymd(y, m, 1);
		int off = (wd - tm_date_weekday(first) + 7) % 7;
		return first + off + 7 * (n - 1);
	}
	int32_t last = tm_date_from_ymd(y, m, days_in_month(y, m));
	return last - (tm_date_weekday(last) - wd + 7) % 7;
}

/* A fixed-date holiday moved to Friday or Monday when it falls on a weekend. */
static int32_t
observed(int32_t day)
{
	int w = tm_date_weekday(day);
	return w == 6 ? day - 1 : w == 0 ? day + 1 : day;
}

static int32_t
easter(int y)
{
	int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
	int f = (b + 8) / 25, g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	int month = (h + l - 7 * m + 114) / 31, dd = (h + l - 7 * m + 114) % 31 + 1;
	return tm_date_from_ymd(y, month, dd);
}

/* Unscheduled closures since 2000 (weather, mourning, 9/11). */
static const char *closures[] = {
	"2001-09-11", "2001-09-12", "2001-09-13", "2001-09-14", "2004-06-11",
	"2007-01-02", "2012-10-29", "2012-10-30", "2018-12-05", "2025-01-09",
};

static int
is_holiday(int32_t day)
{
	int y, m, d;

	tm_date_ymd(day, &y, &m, &d);
	/* New Year: a Saturday New Year is not moved back into December. */
	int32_t ny = tm_date_from_ymd(y, 1, 1);
	if (tm_date_weekday(ny) != 6 && day == observed(ny))
		return 1;
	if (y >= 1998 && day == nth_weekday(y, 1, 1, 3))
		return 1;	/* Martin Luther King Jr. Day */
	if (day == nth_weekday(y, 2, 1, 3))
		return 1;	/* Washington's Birthday */
	if (day == easter(y) - 2)
		return 1;	/* Good Friday */
	if (day == nth_weekday(y, 5, 1, -1))
		return 1;	/* Memorial Day */
	if (y >= 2022 && day == observed(tm_date_from_ymd(y, 6, 19)))
		return 1;	/* Juneteenth */
	if (day == observed(tm_date_from_ymd(y, 7, 4)))
		return 1;
	if (day == nth_weekday(y, 9, 1, 1))
		return 1;	/* Labor Day */
	if (day == nth_weekday(y, 11, 4, 4))
		return 1;	/* Thanksgiving */
	if (day == observed(tm_date_from_ymd(y, 12, 25)))
		return 1;
	if (y >= 2000 && y <= 2025) {
		char buf[11];
		tm_date_fmt(day, buf);
		for (size_t i = 0; i < sizeof(closures) / sizeof(*closures); i++)
			if (strcmp(buf, closures[i]) == 0)
				return 1;
	}
	return 0;
}

int
tm_trading_day(int32_t day)
{
	int w = tm_date_weekday(day);

	return w != 0 && w != 6 && !is_holiday(day);
}

int32_t
tm_trading_next(int32_t day)
{
	do
		day++;
	while (!tm_trading_day(day));
	return day;
}

int32_t
tm_trading_prev(int32_t day)
{
	do
		day--;
	while (!tm_trading_day(day));
	return day;
}

/*
 * New York is UTC-5, or UTC-4 from the second Sunday of March 02:00 to the
 * first Sunday of November 02:00 (US rules since 2007; earlier years used
 * April/October, which matters only for timestamps near midnight).
 */
int32_t
tm_date_from_epoch_ny(int64_t t)
{
	int32_t day = (int32_t)((t - 5 * 3600) >= 0 ? (t - 5 * 3600) / 86400 :
	    -((-(t - 5 * 3600) + 86399) / 86400));
	int y, m, d;

	tm_date_ymd(day, &y, &m, &d);
	int64_t start, end;
	if (y >= 2007) {
		start = (int64_t)nth_weekday(y, 3, 0, 2) * 86400 + 7 * 3600;
		end = (int64_t)nth_weekday(y, 11, 0, 1) * 86400 + 6 * 3600;
	} else {
		start = (int64_t)nth_weekday(y, 4, 0, 1) * 86400 + 7 * 3600;
		end = (int64_t)nth_weekday(y, 10, 0, -1) * 86400 + 6 * 3600;
	}
	int64_t off = (t >= start && t < end) ? 4 * 3600 : 5 * 3600;
	int64_t lt = t - off;
	return (int32_t)(lt >= 0 ? lt / 86400 : -((-lt + 86399) / 86400));
}

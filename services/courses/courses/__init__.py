"""Courses service: courses, groups and activities, enrolments, attendance and referrals."""

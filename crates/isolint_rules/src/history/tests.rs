//! Tests of the arithmetic of the history: MTTR, ages, windows.

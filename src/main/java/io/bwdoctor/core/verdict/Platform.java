package io.bwdoctor.core.verdict;

/** The operating system a process runs on: rules apply to one of them or to both. */
public enum Platform { LINUX, WINDOWS }

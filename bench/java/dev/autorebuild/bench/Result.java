package dev.autorebuild.bench;

/**
 * One measured figure of a scenario, with the target it is held against.
 *
 * @param met null when there is no target to meet (a figure reported for information)
 */
record Result(String scenario, String figure, String measured, String target, Boolean met) {

    static Result info(String scenario, String figure, String measured) {
        return new Result(scenario, figure, measured, "—", null);
    }

    String verdict() {
        return met == null ? "" : met ? "met" : "MISSED";
    }
}

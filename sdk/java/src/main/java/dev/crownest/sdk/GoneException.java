package dev.crownest.sdk;

/** 410: the resource existed and is gone for good. */
public class GoneException extends CrowNestException {

    public GoneException(Details details) {
        super(details);
    }
}

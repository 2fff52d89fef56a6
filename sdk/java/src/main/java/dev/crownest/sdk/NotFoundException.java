package dev.crownest.sdk;

/** 404: no such sandbox, command, file, ... for this key. */
public class NotFoundException extends CrowNestException {

    public NotFoundException(Details details) {
        super(details);
    }
}

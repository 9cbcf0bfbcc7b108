package io.duckload.failure;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The service's clock and pause as beans, so that a class reading the time or waiting to retry takes them injected. */
@Singleton
public class TimeSeams {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    Pause pause() {
        return Pause.real();
    }
}

# An application image as a user writes one: scratch, reinit copied from
# its image, the app, and an exec-form ENTRYPOINT. The app here is a test
# program: sigecho prints "ready", each signal, and "term" before it exits 0
# on SIGTERM; starts prints "start N" on each start; exitcode exits with N.
ARG REINIT=reinit
FROM ${REINIT} AS reinit

FROM scratch
COPY --from=reinit /reinit /reinit
# /bin/tar and /bin/rm, links to /reinit: what sync tools exec.
COPY --from=reinit /bin /bin
COPY sigecho starts exitcode /app/
ENTRYPOINT ["/reinit", "--"]
CMD ["/app/sigecho", "--exit-on-term"]

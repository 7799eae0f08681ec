# Build: dotnet SDK image; run: ASP.NET runtime image. The CI runs the same publish command (.ci/run).
# Used by ops/compose.yaml; operating it is described in ops/README.md.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/FeatureB2bua -c Release -o /app -nologo -v q

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
RUN useradd --system --uid 10001 --home-dir /app b2bua && mkdir -p /app/data && chown b2bua /app/data
USER b2bua
# Inside a container the listen points and media ports must take every interface; Media:Address must then be set
# to the address phones reach (FEATUREB2BUA_Media__Address), and the media range is best served with host networking.
# The runtime image's own ASPNETCORE_HTTP_PORTS is cleared: `urls` alone says where HTTP listens.
ENV FEATUREB2BUA_Sip__Listen__0=udp:0.0.0.0:5060 \
    FEATUREB2BUA_Sip__Listen__1=tcp:0.0.0.0:5060 \
    FEATUREB2BUA_Media__BindAddress=0.0.0.0 \
    FEATUREB2BUA_urls=http://0.0.0.0:9060 \
    ASPNETCORE_HTTP_PORTS=
# The SQLite store (data/b2bua.db under the working directory): registrations and CDRs outlive the container.
VOLUME ["/app/data"]
EXPOSE 5060/udp 5060/tcp 9060/tcp 16384-32767/udp
# The image has neither curl nor wget: bash's /dev/tcp asks /healthz, healthy on a 200 status line.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/9060 && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && read -r _ status _ <&3 && [ \"$status\" = 200 ]"]
# SIGTERM (Docker's default stop signal) drains; give `docker stop` a timeout beyond the drain (compose: 90 s).
ENTRYPOINT ["dotnet", "FeatureB2bua.dll"]

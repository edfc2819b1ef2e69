"""Hand-written demo mentions: what the regent's accounts and SMS centre really receive.

Each entry: (platform, category, urgency, kecamatan or None, text, follow-up or None). The
follow-up is a second message in the same thread some minutes later (it joins the case).
A few entries are hostile on purpose (HTML, Markdown links, a spreadsheet formula) so the
console's plain-text rendering and the export's neutralisation have something to do.
Osing/Javanese words: isun (saya), riko (kamu), sing (tidak), paran (apa), kelendi
(bagaimana), ring (di), mulih (pulang), adoh (jauh), gedigu (begitu), lur (saudara).
"""

MESSAGES: tuple[tuple[str, str, str, str | None, str, str | None], ...] = (
    # --- kesehatan ---
    ("twitter", "kesehatan", "kritis", "Kabat",
     "@bupatibanyuwangi pak tolong, bapak isun sesek napas ring Dusun Krajan Macan Putih, ambulans desa "
     "rusak, 112 sibuk terus. mohon dibantu skrg 🙏", "udah 30 menit blm ada yg dateng pak 😭"),
    ("sms", "kesehatan", "kritis", "Songgon",
     "PAK TOLONG IBU SAYA PENDARAHAN HABIS MELAHIRKAN DI RUMAH DSN SUMBERBULU SONGGON BIDAN GK ADA", None),
    ("facebook", "kesehatan", "tinggi", "Genteng",
     "Min, antrean IGD RSUD Genteng tadi malam sampai jam 2 pagi, anak saya panas 39 derajat cuma ditaruh "
     "di kursi lorong. Apa memang gedigu pelayanannya? Mohon dievaluasi.", None),
    ("twitter", "kesehatan", "tinggi", "Muncar",
     "DBD di Kedungrejo Muncar udah 4 anak masuk puskesmas minggu ini, fogging kapan pak? got2 mampet "
     "jentik dimana2 @pemkabbwi", None),
    ("sms", "kesehatan", "sedang", "Glenmore",
     "slmt siang pak, posyandu lansia di dsn sepanjang glenmore sdh 2 bln gk ada kegiatan, obat darah "
     "tinggi mbah saya habis", None),
    ("facebook", "kesehatan", "sedang", "Rogojampi",
     "Kartu BPJS PBI bapak saya tiba2 nonaktif padahal tiap bulan kontrol jantung di RS. Disuruh ke "
     "Dinsos, dari Dinsos disuruh ke BPJS, muter2 terus. Kelendi iki?", None),
    ("twitter", "kesehatan", "rendah", "Banyuwangi",
     "min puskesmas Sobo buka hari minggu gak ya? mau vaksin anak", None),
    ("sms", "kesehatan", "tinggi", "Tegaldlimo",
     "Ass. Pak ada balita gizi buruk di Kendalrejo tegaldlimo, badannya tinggal tulang, ortunya gk "
     "punya biaya ke RS. hub saya 085236114420", None),
    ("facebook", "kesehatan", "rendah", "Srono",
     "Terima kasih untuk petugas puskesmas Srono yang sabar melayani ibu saya kemarin, mugi-mugi "
     "sehat terus sedoyo 🙏", None),
    ("twitter", "kesehatan", "sedang", "Giri",
     "apotek di puskesmas Giri obatnya kosong terus, disuruh beli di luar. BPJS kok gitu sih 😤", None),
    # --- perlindungan anak ---
    ("sms", "perlindungan_anak", "kritis", "Wongsorejo",
     "pak tolong tetangga saya anak umur 9 th dipukuli bapaknya pakai kayu sampai berdarah skrg msh "
     "teriak2 di rumahnya desa bajulmati", None),
    ("facebook", "perlindungan_anak", "tinggi", "Cluring",
     "Mohon perhatian DP3A, ada anak perempuan kelas 2 SMP di Benculuk mau dinikahkan minggu depan "
     "karena orangtuanya terlilit utang. Anaknya nangis terus gak mau.", None),
    ("twitter", "perlindungan_anak", "tinggi", "Banyuwangi",
     "ada anak kecil tiap malem ngamen sendirian di lampu merah Jl. Ahmad Yani sampai jam 11 malem, "
     "kayaknya disuruh orang dewasa yg nunggu di motor. tolong dicek @BCC_Banyuwangi", None),
    ("sms", "perlindungan_anak", "kritis", "Kalibaru",
     "ANAK SAYA HILANG SEJAK PULANG SEKOLAH KEMARIN SMP 1 KALIBARU NAMA RINA 13 TH TLG BANTU SEBAR", None),
    ("facebook", "perlindungan_anak", "sedang", "Genteng",
     "Anak saya di-bully di grup WA kelas sampai gak mau sekolah, sudah lapor wali kelas tapi sing ono "
     "tindakan. Ke mana kami harus mengadu?", None),
    # --- kemiskinan ---
    ("sms", "kemiskinan", "tinggi", "Licin",
     "pak mbah tuminah di dsn krajan licin rumahnya bocor semua kalau hujan tidur di kursi, tdk "
     "dapat bantuan apa2", None),
    ("facebook", "kemiskinan", "sedang", "Purwoharjo",
     "Kenapa PKH saya dicoret padahal suami sudah meninggal dan saya kerja serabutan? Yang rumahnya "
     "keramik malah dapat. Mohon didata ulang di Desa Grajagan.", None),
    ("twitter", "kemiskinan", "sedang", "Sempu",
     "BLT desa di Sempu cairnya cuma 200rb katanya dipotong buat 'uang lelah'. ini resmi apa gimana pak?",
     None),
    ("sms", "kemiskinan", "kritis", "Pesanggaran",
     "Tolong ada kakek tinggal sendiri di gubuk pinggir sawah sarongan, sudah 3 hari gak makan, skrg "
     "lemes gak bisa bangun", None),
    ("facebook", "kemiskinan", "rendah", "Bangorejo",
     "Mau tanya syarat daftar bedah rumah (RTLH) tahun ini apa saja ya min? Untuk warga Sambirejo.", None),
    ("twitter", "kemiskinan", "sedang", "Tegalsari",
     "beras bansos yg dibagi kemarin di balai desa tegalsari apek & berkutu, gak layak makan. foto ada "
     "pak", None),
    # --- pendidikan ---
    ("facebook", "pendidikan", "sedang", "Gambiran",
     "SD di Jajag minta iuran 350rb untuk 'perpisahan' padahal katanya sekolah gratis. Yang gak bayar "
     "anaknya gak boleh ikut foto. Kasihan anak-anak.", None),
    ("twitter", "pendidikan", "tinggi", "Songgon",
     "atap kelas SDN 3 Bangunsari Songgon udah jebol separuh, anak2 belajar di teras. nunggu ambruk "
     "dulu baru dibenerin? @dispendikbwi", None),
    ("sms", "pendidikan", "sedang", "Kalipuro",
     "pak anak saya keterima SMP tp gk punya seragam & sepatu, ada bantuan dr pemkab gk? kami di "
     "ketapang", None),
    ("facebook", "pendidikan", "rendah", "Glagah",
     "Beasiswa Banyuwangi Cerdas tahun ini dibuka kapan ya? Anak saya mau kuliah tapi kami petani "
     "di Kemiren.", None),
    ("twitter", "pendidikan", "sedang", "Blimbingsari",
     "guru honorer di sekolah anakku udah 4 bulan belum gajian, akhirnya jarang masuk. anak2 jd sering "
     "kosong pelajarannya", None),
    # --- infrastruktur ---
    ("twitter", "infrastruktur", "tinggi", "Genteng",
     "jalan raya Genteng - Temuguruh lubangnya kayak kolam lele, semalem ada pengendara jatuh kepalanya "
     "bocor. kapan diaspal pak @bupatibanyuwangi", "ini fotonya pak, persis depan masjid"),
    ("sms", "infrastruktur", "sedang", "Cluring",
     "PJU di jl raya benculuk mati sudah 2 minggu gelap gulita rawan begal", None),
    ("facebook", "infrastruktur", "tinggi", "Kalipuro",
     "Air PDAM di perumahan Ketapang mati 4 hari. Kami beli air galon buat mandi. Tidak ada "
     "pemberitahuan sama sekali. Tolong kepastiannya.", None),
    ("twitter", "infrastruktur", "kritis", "Rogojampi",
     "jembatan kecil di dusun Lemahbang Rogojampi amblas separuh, motor masih pada nekat lewat, "
     "kalau malam gak kelihatan!! tolong dipasang tanda dulu", None),
    ("facebook", "infrastruktur", "sedang", "Srono",
     "Drainase depan pasar Srono mampet, tiap hujan air masuk ke los pedagang. Sudah lapor ke desa "
     "katanya wewenang kabupaten.", None),
    ("sms", "infrastruktur", "rendah", "Siliragung",
     "mohon info jalan siliragung-pesanggaran kapan mulai diperbaiki? katanya tahun ini", None),
    ("twitter", "infrastruktur", "sedang", "Banyuwangi",
     "traffic light simpang lima Banyuwangi mati dari pagi, semrawut pol 🚗🛵🚚", None),
    ("facebook", "infrastruktur", "tinggi", "Songgon",
     "Jalan ke Wisata Songgon longsor sebagian badan jalan, truk pasir tetap lewat. Retakannya makin "
     "lebar tiap hari.", None),
    # --- lingkungan ---
    ("twitter", "lingkungan", "sedang", "Muncar",
     "bau limbah pabrik ikan di Muncar makin parah, kali jadi item pekat, anak2 gatal2 habis main di "
     "pantai. DLH kemana? #muncar", None),
    ("facebook", "lingkungan", "sedang", "Banyuwangi",
     "Pantai Boom sore ini sampahnya banyak sekali, plastik & botol. Malu sama wisatawan.", None),
    ("sms", "lingkungan", "rendah", "Giri",
     "truk sampah di perum giri sudah seminggu tdk ambil sampah bau", None),
    ("twitter", "lingkungan", "sedang", "Kabat",
     "ada yg buang sampah liar tiap malam di pinggir jalan raya Kabat dekat sawah, udah numpuk sampai "
     "ke jalan. tolong dipasang cctv/dijaga", None),
    ("facebook", "lingkungan", "tinggi", "Glagah",
     "Pohon trembesi besar di jalan menuju Kemiren sudah miring dan akarnya terangkat. Kalau angin "
     "kencang bisa menimpa rumah dan pengendara.", None),
    # --- bencana ---
    ("twitter", "bencana", "kritis", "Glagah",
     "banjir bandang di kali sobo, air masuk rumah warga setinggi dada di Olehsari, ada lansia belum "
     "dievakuasi!! @bpbdbanyuwangi", "airnya masih naik, tolong perahu karet"),
    ("sms", "bencana", "kritis", "Kalibaru",
     "LONGSOR DI DSN KRAJAN KALIBARU WETAN 2 RUMAH TERTIMBUN KATANYA ADA ORANG DIDALAM", None),
    ("facebook", "bencana", "tinggi", "Pesanggaran",
     "Gelombang tinggi di Pulau Merah, warung-warung di pinggir pantai rusak diterjang ombak tadi "
     "subuh. Nelayan tidak bisa melaut.", None),
    ("twitter", "bencana", "tinggi", "Licin",
     "hujan abu tipis dari arah Ijen pagi ini di Licin, warga butuh masker terutama anak sekolah. "
     "statusnya gimana sekarang?", None),
    ("sms", "bencana", "kritis", "Muncar",
     "KEBAKARAN DI GUDANG DEKAT PELABUHAN MUNCAR APINYA BESAR MERAMBAT KE RUMAH WARGA DAMKAR BLM DTG", None),
    ("facebook", "bencana", "sedang", "Wongsorejo",
     "Angin kencang semalam bikin atap rumah warga Bangsring ada yang terbang. Tidak ada korban tapi "
     "butuh terpal.", None),
    # --- adminduk ---
    ("twitter", "adminduk", "sedang", "Banyuwangi",
     "ngurus KTP-el di mal pelayanan publik udah 3 bulan blm jadi alasannya blangko habis terus. "
     "mau daftar kerja butuh KTP pak 🙏", None),
    ("facebook", "adminduk", "sedang", "Genteng",
     "Akta kelahiran anak saya salah nama ibunya, minta dibetulkan malah disuruh bolak-balik 4 kali. "
     "Padahal berkas lengkap.", None),
    ("sms", "adminduk", "rendah", "Purwoharjo",
     "syarat pindah domisili dr jember ke purwoharjo apa saja pak", None),
    ("twitter", "adminduk", "sedang", "Rogojampi",
     "NIK saya terdaftar ganda katanya, jadi gak bisa daftar BPJS & bansos. dispendukcapil bisa bantu? "
     "sudah datang 2x", None),
    ("facebook", "adminduk", "rendah", "Kalipuro",
     "Min, izin usaha warung kopi sekarang lewat OSS atau tetap ke MPP? Bingung.", None),
    # --- ketertiban ---
    ("twitter", "ketertiban", "tinggi", "Banyuwangi",
     "balap liar tiap malam minggu di jalan lingkar Banyuwangi, knalpot brong sampai jam 3 pagi. "
     "kemarin ada yg tabrakan @satpolppbwi", None),
    ("sms", "ketertiban", "sedang", "Genteng",
     "parkir liar di depan pasar genteng minta 5rb padahal ada karcis resmi 2rb", None),
    ("facebook", "ketertiban", "sedang", "Sempu",
     "Ada judi sabung ayam tiap sore di tegalan Desa Karangsari, ramai orang dari luar desa. Warga "
     "takut menegur.", None),
    ("twitter", "ketertiban", "rendah", "Banyuwangi",
     "PKL di trotoar Taman Sritanjung bikin pejalan kaki harus turun ke jalan. ditata aja pak biar "
     "tertib", None),
    ("sms", "ketertiban", "kritis", "Srono",
     "ada maling sapi di kandang tetangga skrg di dsn krajan srono warga lagi ngepung tolong polisi", None),
    # --- pelayanan publik ---
    ("facebook", "pelayanan_publik", "sedang", "Tegaldlimo",
     "Kantor desa di Tegaldlimo jam 10 pagi masih tutup, pegawainya belum datang. Ngurus surat "
     "pengantar saja sampai 3 hari.", None),
    ("twitter", "pelayanan_publik", "sedang", "Bangorejo",
     "minta surat keterangan tidak mampu di desa dimintai 50rb sama perangkat. pungli gak sih ini?", None),
    ("sms", "pelayanan_publik", "rendah", None,
     "nomer pengaduan pemkab yg bisa wa berapa ya pak", None),
    ("facebook", "pelayanan_publik", "sedang", "Singojuruh",
     "Petugas di kecamatan Singojuruh kasar sekali waktu saya tanya berkas. Kami rakyat kecil juga "
     "punya hak dilayani dengan baik.", None),
    ("twitter", "pelayanan_publik", "rendah", None,
     "website pemkab banyuwangi kok error terus ya dari kemarin, mau cek pengumuman CPNS", None),
    # --- lainnya (praise, greetings, promotion, spam) ---
    ("twitter", "lainnya", "rendah", None,
     "Banyuwangi Festival tahun ini keren pol! Gandrung Sewu merinding lihatnya 😍 #BanyuwangiFestival",
     None),
    ("facebook", "lainnya", "rendah", None,
     "Selamat pagi Pak Bupati, semoga sehat selalu dan Banyuwangi makin maju 🙏", None),
    ("sms", "lainnya", "rendah", None,
     "SELAMAT ANDA MENDAPAT HADIAH 25JT DARI PEMKAB, HUB 081331234567 UTK KLAIM", None),
    ("twitter", "lainnya", "rendah", None,
     "jual kaos Banyuwangi Ethno Carnival murah, cek bio ya kak 👕 #bwi #promo", None),
    ("facebook", "lainnya", "rendah", None,
     "Lur, ayo ngopi nang Kemiren sesuk isuk, tumpeng sewu wis cedhak 😄", None),
    ("twitter", "lainnya", "rendah", None,
     "tes tes, ini akun pemkab aktif gak sih", None),
    ("sms", "lainnya", "rendah", None,
     "matur nuwun pak, jalan di desa kami sdh diaspal, warga seneng", None),
    ("facebook", "lainnya", "rendah", None,
     "Info loker PT pakai link ini gaji 8jt/bulan tanpa pengalaman bit.ly/kerjaaa", None),
    # --- hostile on purpose: must stay plain text in the console and inert in exports ---
    ("twitter", "infrastruktur", "sedang", "Genteng",
     "<img src=x onerror=alert(1)> lampu jalan di Genteng Kulon mati <b>semua</b>", None),
    ("facebook", "lainnya", "rendah", None,
     "**PENTING** [Klik di sini untuk bansos](http://bansos-bwi.example/login) ![x](http://evil.example/p.png)",
     None),
    ("sms", "lainnya", "rendah", None,
     "=HYPERLINK(\"http://evil.example\",\"Klik\") hadiah pulsa gratis", None),
    ("twitter", "pelayanan_publik", "rendah", None,
     "+62 itu kode negara kita, kok nomor pengaduan pemkab di web masih salah ketik ya", None),
    ("facebook", "lainnya", "rendah", None,
     "@admin tolong hapus komentar spam di postingan kemarin min", None),
    ("sms", "kemiskinan", "sedang", "Gambiran",
     "-mohon maaf mengganggu pak, ibu saya janda lansia belum pernah dapat bantuan apapun di jajag", None),
    # --- WhatsApp (the regent's and the camats' lines) ---
    ("whatsapp", "infrastruktur", "tinggi", "Genteng",
     "Assalamualaikum pak camat, jembatan kecil di Dusun Krajan Kembiritan ambles separuh, anak2 sekolah "
     "tetap lewat situ. Mohon segera dicek 🙏", "ini fotonya pak, makin parah habis hujan semalam"),
    ("whatsapp", "kesehatan", "kritis", "Licin",
     "pak tolong, tetangga saya kejang2 di Banjar Licin, ambulans desa tidak bisa dihubungi", None),
    ("whatsapp", "adminduk", "rendah", "Srono",
     "Selamat pagi, mau tanya syarat pindah domisili ke Srono apa saja nggih? Terima kasih", None),
    ("whatsapp", "lingkungan", "sedang", "Kalipuro",
     "Sampah numpuk di pinggir jalan Ketapang dekat pelabuhan sudah seminggu tidak diangkut, bau sekali",
     None),
)
